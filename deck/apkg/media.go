package apkg

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/srs-tool/srs/deck"
)

// apkgMaxMediaMap bounds the media map member itself.
const apkgMaxMediaMap = 64 << 20

// apkgMediaEntry is one file of the package's media map.
type apkgMediaEntry struct {
	name, member string
	v3           *apkgV3MediaEntry // size and SHA-1 to verify, for v3 packages
}

// readMedia loads the media files the imported notes refer to. Every name
// in the map must be a plain file name, referenced or not: a package that
// names a file "../x" was made to attack its importer.
func (r *apkgReader) readMedia(a *apkgArchive) error {
	var entries []apkgMediaEntry
	if a.has("media") {
		zstdInner := r.version == apkgLatest
		b, err := a.read("media", zstdInner, apkgMaxMediaMap)
		if err != nil {
			return err
		}
		if zstdInner {
			list, err := apkgParseV3MediaMap(b)
			if err != nil {
				return r.errorf("media: %v", err)
			}
			for i := range list {
				entries = append(entries, apkgMediaEntry{name: list[i].name, member: list[i].member, v3: &list[i]})
			}
		} else {
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return r.errorf("media: %v", err)
			}
			for _, member := range apkgSortedKeys(m) {
				entries = append(entries, apkgMediaEntry{name: m[member], member: member})
			}
			// Numeric order, as Anki wrote them.
			sort.SliceStable(entries, func(i, j int) bool {
				x, errx := strconv.Atoi(entries[i].member)
				y, erry := strconv.Atoi(entries[j].member)
				return errx == nil && erry == nil && x < y
			})
		}
	}
	if r.lim.MaxEntries > 0 && len(entries) > r.lim.MaxEntries {
		return r.errorf("media: map has %d files, over the limit of %d", len(entries), r.lim.MaxEntries)
	}
	byName := make(map[string]apkgMediaEntry, len(entries))
	for _, e := range entries {
		if !apkgSafeMediaName(e.name) {
			return r.errorf("zip member %q: media name %q is not a plain file name", e.member, e.name)
		}
		if _, dup := byName[e.name]; dup {
			r.warnf("media: %q appears twice in the media map; the first is used", e.name)
			continue
		}
		byName[e.name] = e
	}
	for _, name := range apkgSortedKeys(r.refs) {
		e, ok := byName[name]
		if !ok {
			r.warnf("media file %q is referenced by a note but not in the package", name)
			continue
		}
		if !a.has(e.member) {
			r.warnf("media file %q: zip member %q is missing", name, e.member)
			continue
		}
		data, err := a.read(e.member, e.v3 != nil, 0)
		if err != nil {
			return err
		}
		if e.v3 != nil {
			if err := apkgVerifyV3Media(*e.v3, data); err != nil {
				return r.errorf("zip member %q (media file %q): %v", e.member, name, err)
			}
		}
		r.d.Media = append(r.d.Media, deck.Media{Name: name, Data: data})
	}
	return nil
}
