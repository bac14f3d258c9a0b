// Package apkg reads and writes Anki packages (.apkg).
//
// An .apkg is a zip archive holding an Anki collection (an SQLite database),
// a map from zip member names to media file names, and the media files.
// Anki has written three layouts over the years; Read reads all of them
// and Writer writes the oldest, which every Anki client still imports:
//
//   - Legacy1: collection.anki2 (SQLite, schema 11, note types and decks as
//     JSON in the col table), a JSON media map and raw media members.
//   - Legacy2: the same with the data in collection.anki21; collection.anki2
//     is then a stub whose one note asks the user to update Anki and must not
//     be imported. Anki 2.1.50+ adds a "meta" member saying version 2.
//   - v3 (Anki 2.1.50+ default): "meta" says version 3, collection.anki21b is
//     a zstd-compressed schema-18 SQLite database (note types, fields,
//     templates and decks in their own tables, configs as protobuf), the media
//     map is zstd-compressed protobuf and every media member is zstd-compressed.
//
// The variant is detected as Anki does it: "meta" when present, otherwise
// collection.anki21 means Legacy2 and anything else Legacy1.
//
// Packages come from strangers, so reading them is bounded by Limits:
// the file size, the number of zip members, the decompressed size of each
// member and of all of them together (counted as bytes arrive; declared sizes
// are never trusted), the compression ratio of large members, the number of
// notes and cards, and the size of one field. The collection is decompressed
// into a private temporary file and opened read-only with trusted_schema off
// and defensive mode on; it is integrity-checked and only fixed SELECTs run on
// tables that must really be tables (a view or trigger could run SQL).
//
// Scheduling crosses the package as Anki stores it: Read returns each
// card's cards row and revlog (fsrs.AnkiProgress), and Writer takes the
// columns and revlog rows to write (Scheduling). Turning them into srs
// states and back is fsrs's job (Scheduler.FromAnki, Scheduler.ToAnki,
// ToAnkiReview), with the settings of the user who imports or exports.
package apkg

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
)

// Limits bounds what Read accepts from an untrusted package. A zero
// or negative field means "no limit" for that quantity; use DefaultLimits
// unless you have a reason not to.
type Limits struct {
	MaxFileSize  int64   // bytes of the .apkg file itself
	MaxEntries   int     // zip members
	MaxEntrySize int64   // decompressed bytes of any one member (the collection included)
	MaxTotalSize int64   // decompressed bytes of all members read
	MaxRatio     float64 // decompressed/compressed, checked once a member passes 1 MiB
	MaxNotes     int     // rows in notes, and separately in cards; revlog may hold 100 rows per note allowed
	MaxFieldSize int     // bytes of one note field as stored (HTML); the card made of it must fit deck.MaxFieldSize
}

// DefaultLimits are generous for real collections (Anki's own exports of
// large shared decks stay far below them) and small enough that a hostile
// package cannot exhaust a laptop.
var DefaultLimits = Limits{
	MaxFileSize:  512 << 20,
	MaxEntries:   100_000,
	MaxEntrySize: 1 << 30,
	MaxTotalSize: 2 << 30,
	MaxRatio:     100,
	MaxNotes:     500_000,
	MaxFieldSize: deck.MaxEncodedFieldSize,
}

// apkgRatioFloor is the decompressed size below which MaxRatio is not checked:
// small members (an empty SQLite page, a JSON "{}") legitimately compress
// far better than 100:1.
const apkgRatioFloor = 1 << 20

// Options configures an Writer.
type Options struct {
	// WithScheduling writes each card's state, suspension and review log.
	// Anki imports them only when the user ticks "Import any learning
	// progress"; without it every card arrives new.
	WithScheduling bool
	// Now is the export time: note and card modification times, and "today"
	// for day-based due dates. Zero means time.Now(). Its Location is the
	// zone day numbers are computed in.
	Now time.Time
	// DeckPrefix is the Anki parent deck every srs deck is put under: srs
	// deck "guide" becomes Anki deck "<DeckPrefix>::guide". "" means "srs".
	DeckPrefix string
	// Progress, when set, is called with the number of cards written so far,
	// every 1000 cards and once more from Close.
	Progress func(done int)
	// Media, when set, is where the files cards refer to (![](x.png),
	// [sound:x.mp3]) are read from: srs's media directory. Each one found
	// there is packed with the cards; one that is missing is left out and
	// named in Warnings.
	Media fs.FS
}

// apkgError formats the one-line errors of the package reader and writer:
// the file name first, then what went wrong.
// Text that came from the package (SQLite messages, names) is folded onto
// one line.
func apkgError(file, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if strings.ContainsAny(err.Error(), "\r\n") {
		err = errors.New(apkgOneLine(err.Error()))
	}
	return fmt.Errorf("%s: %w", file, err)
}
