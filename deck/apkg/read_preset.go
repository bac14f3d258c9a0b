package apkg

import (
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/srs-tool/srs/fsrs"
)

// Deck options (Anki's "presets", deck configs) and the deck each is
// used by, for the FSRS parameters they carry. They are advice a user may
// adopt, not part of the cards: a package whose options cannot be read
// still imports, with a warning.

// loadPresets reads the presets and maps each deck to its own, with the
// deck's desired retention where the deck overrides the preset's. Cards
// share their deck's preset (AnkiProgress.Preset).
func (r *apkgReader) loadPresets(schema18 bool) {
	var err error
	if schema18 {
		err = r.loadPresets18()
	} else {
		err = r.loadPresets11()
	}
	if err != nil {
		r.presets = nil
		r.warnf("%s: deck options unreadable, their FSRS parameters not read: %v", r.member, err)
	}
}

// presetFor is the preset of a card in deck did (odid when it sits in a
// filtered deck, whose options are not the card's).
func (r *apkgReader) presetFor(did, odid int64) *fsrs.AnkiPreset {
	if odid != 0 {
		did = odid
	}
	return r.presets[did]
}

// ankiFloats reads a JSON array of numbers; anything else is no
// parameters, as Anki's serde default_on_invalid would read it.
type ankiFloats []float64

func (f *ankiFloats) UnmarshalJSON(b []byte) error {
	var v []float64
	if json.Unmarshal(b, &v) == nil {
		*f = v
	}
	return nil
}

// ankiFloat reads a number; anything else is 0 (unset).
type ankiFloat float64

func (f *ankiFloat) UnmarshalJSON(b []byte) error {
	var v float64
	if json.Unmarshal(b, &v) == nil {
		*f = ankiFloat(v)
	}
	return nil
}

// loadPresets11 reads a schema-11 collection's col.dconf (presets by id)
// and col.decks (each deck's conf, and its desiredRetention override in
// percent).
func (r *apkgReader) loadPresets11() error {
	var dconf, decks string
	if err := r.db.QueryRow("SELECT dconf, decks FROM col ORDER BY id LIMIT 1").Scan(&dconf, &decks); err != nil {
		return errors.New(apkgOneLine(err.Error()))
	}
	var confs map[string]struct {
		ID        apkgJSONID `json:"id"`
		Name      string     `json:"name"`
		Params4   ankiFloats `json:"fsrsWeights"`
		Params5   ankiFloats `json:"fsrsParams5"`
		Params6   ankiFloats `json:"fsrsParams6"`
		Retention ankiFloat  `json:"desiredRetention"`
		SM2       ankiFloat  `json:"sm2Retention"`
	}
	if err := json.Unmarshal([]byte(dconf), &confs); err != nil {
		return errors.New("col.dconf: " + err.Error())
	}
	byID := map[int64]fsrs.AnkiPreset{}
	for key, c := range confs {
		id := int64(c.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		byID[id] = fsrs.AnkiPreset{Name: c.Name, Params4: c.Params4, Params5: c.Params5, Params6: c.Params6,
			DesiredRetention: float64(c.Retention), HistoricalRetention: float64(c.SM2)}
	}
	var ds map[string]struct {
		ID        apkgJSONID `json:"id"`
		Conf      apkgJSONID `json:"conf"`
		Dyn       ankiFloat  `json:"dyn"`
		Retention ankiFloat  `json:"desiredRetention"` // percent
	}
	if err := json.Unmarshal([]byte(decks), &ds); err != nil {
		return errors.New("col.decks: " + err.Error())
	}
	shared := map[int64]*fsrs.AnkiPreset{}
	r.presets = map[int64]*fsrs.AnkiPreset{}
	for key, d := range ds {
		id := int64(d.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		if d.Dyn != 0 {
			continue // a filtered deck: its cards keep their home deck's options
		}
		var override float64
		if d.Retention > 0 {
			override = float64(d.Retention) / 100
		}
		r.presets[id] = presetOf(byID, shared, int64(d.Conf), override)
	}
	return nil
}

// presetOf is preset conf as a deck sees it: shared by the decks that use
// it as it is, copied for a deck that overrides its desired retention.
func presetOf(byID map[int64]fsrs.AnkiPreset, shared map[int64]*fsrs.AnkiPreset, conf int64, override float64) *fsrs.AnkiPreset {
	p, ok := byID[conf]
	if !ok {
		return nil
	}
	if override > 0 {
		p.DesiredRetention = override
		return &p
	}
	if shared[conf] == nil {
		shared[conf] = &p
	}
	return shared[conf]
}

// loadPresets18 reads a schema-18 collection's deck_config table
// (DeckConfig.Config protobuf: fsrs_params_4/5/6 = 3/5/6,
// desired_retention = 37, historical_retention = 40) and decks.kind
// (KindContainer: normal = 1 holding config_id = 1 and an optional
// desired_retention = 10; filtered = 2).
func (r *apkgReader) loadPresets18() error {
	var kind string
	err := r.db.QueryRow("SELECT type FROM sqlite_schema WHERE name = 'deck_config'").Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no options were exported
	}
	if err != nil || kind != "table" {
		return errors.New("deck_config is not a table")
	}
	byID := map[int64]fsrs.AnkiPreset{}
	rows, err := r.db.Query("SELECT id, name, config FROM deck_config")
	if err != nil {
		return errors.New(apkgOneLine(err.Error()))
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		var config []byte
		if err := rows.Scan(&id, &name, &config); err != nil {
			return errors.New(apkgOneLine(err.Error()))
		}
		p := fsrs.AnkiPreset{Name: name}
		err := protoFields(config, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) {
			switch num {
			case 3:
				p.Params4 = appendFloats(p.Params4, typ, v, b)
			case 5:
				p.Params5 = appendFloats(p.Params5, typ, v, b)
			case 6:
				p.Params6 = appendFloats(p.Params6, typ, v, b)
			case 37:
				p.DesiredRetention = protoFloat(typ, v)
			case 40:
				p.HistoricalRetention = protoFloat(typ, v)
			}
		})
		if err != nil {
			return errors.New("deck_config " + name + ": " + err.Error())
		}
		byID[id] = p
	}
	if err := rows.Err(); err != nil {
		return errors.New(apkgOneLine(err.Error()))
	}
	rows.Close()

	drows, err := r.db.Query("SELECT id, kind FROM decks")
	if err != nil {
		return errors.New(apkgOneLine(err.Error()))
	}
	defer drows.Close()
	shared := map[int64]*fsrs.AnkiPreset{}
	r.presets = map[int64]*fsrs.AnkiPreset{}
	for drows.Next() {
		var id int64
		var kindBlob []byte
		if err := drows.Scan(&id, &kindBlob); err != nil {
			return errors.New(apkgOneLine(err.Error()))
		}
		var normal []byte
		isNormal := false
		if err := protoFields(kindBlob, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) {
			if num == 1 && typ == protowire.BytesType {
				normal, isNormal = b, true
			}
		}); err != nil {
			return errors.New("decks kind: " + err.Error())
		}
		if !isNormal {
			continue // a filtered deck
		}
		var conf int64
		var override float64
		if err := protoFields(normal, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) {
			switch {
			case num == 1 && typ == protowire.VarintType:
				conf = int64(v)
			case num == 10:
				override = protoFloat(typ, v)
			}
		}); err != nil {
			return errors.New("decks kind: " + err.Error())
		}
		r.presets[id] = presetOf(byID, shared, conf, override)
	}
	return drows.Err()
}

// protoFields calls fn for each top-level field of a protobuf message:
// varints and fixed32 values in v, bytes in b.
func protoFields(b []byte, fn func(num protowire.Number, typ protowire.Type, v uint64, b []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			fn(num, typ, v, nil)
			b = b[m:]
		case protowire.Fixed32Type:
			v, m := protowire.ConsumeFixed32(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			fn(num, typ, uint64(v), nil)
			b = b[m:]
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			fn(num, typ, 0, v)
			b = b[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			b = b[m:]
		}
	}
	return nil
}

// protoFloat is a float field's value, 0 for another wire type.
func protoFloat(typ protowire.Type, v uint64) float64 {
	if typ != protowire.Fixed32Type {
		return 0
	}
	return float32To64(uint32(v))
}

// float32To64 is a float32's shortest decimal as a float64: 0.85 stays
// 0.85 (as in Anki's JSON), not 0.8500000238418579.
func float32To64(bits uint32) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(math.Float32frombits(bits)), 'g', -1, 32), 64)
	return f
}

// appendFloats adds a repeated float field's values: one fixed32, or a
// packed run of them. At most 64 are kept (FSRS has 21).
func appendFloats(dst []float64, typ protowire.Type, v uint64, b []byte) []float64 {
	switch typ {
	case protowire.Fixed32Type:
		if len(dst) < 64 {
			dst = append(dst, float32To64(uint32(v)))
		}
	case protowire.BytesType:
		for len(b) >= 4 && len(dst) < 64 {
			x, _ := protowire.ConsumeFixed32(b)
			dst = append(dst, float32To64(x))
			b = b[4:]
		}
	}
	return dst
}
