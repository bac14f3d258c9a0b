package termmd

import (
	"strings"

	east "github.com/yuin/goldmark/extension/ast"
)

// colSep goes between table columns. Tables have no outer border: on a
// 40-column terminal the two columns it would cost are worth more as text.
const colSep = " │ "

// table lays out a GitHub table. Columns get their natural width when the
// table fits; otherwise each column keeps room for its longest word and
// the rest of the width is shared in proportion to what each column
// lacks, cells wrapping within their column. When not even the longest
// words fit side by side, every row becomes a record of "header: value"
// lines, which reads well at any width.
func (r *renderer) table(t *east.Table, first, rest []span) {
	var rows [][][]span // rows[0] is the header
	ncols := len(t.Alignments)
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		_, isHeader := row.(*east.TableHeader)
		var cells [][]span
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			st := Style(0)
			if isHeader {
				st = Bold
			}
			cells = append(cells, r.inline(c, st))
		}
		ncols = max(ncols, len(cells))
		rows = append(rows, cells)
	}
	if len(rows) == 0 || ncols == 0 {
		return
	}
	for i := range rows {
		for len(rows[i]) < ncols {
			rows[i] = append(rows[i], nil)
		}
	}
	avail := r.width - max(spansWidth(first), spansWidth(rest))
	widths := columnWidths(rows, ncols, avail-len([]rune(colSep))*(ncols-1))
	if widths == nil {
		r.records(rows, first, rest, avail)
		return
	}
	align := func(i int) east.Alignment {
		if i < len(t.Alignments) {
			return t.Alignments[i]
		}
		return east.AlignNone
	}
	laid := make([][][][]span, len(rows)) // row, column, line
	tall := false
	for i, row := range rows {
		laid[i] = make([][][]span, ncols)
		for j, cell := range row {
			laid[i][j] = wrapCell(cell, widths[j])
			tall = tall || (i > 0 && len(laid[i][j]) > 1)
		}
	}
	rule := func() []span {
		parts := make([]string, ncols)
		for j, w := range widths {
			parts[j] = strings.Repeat("─", w)
		}
		return []span{{strings.Join(parts, "─┼─"), Faint}}
	}
	line := 0
	for i := range laid {
		if i == 1 || i > 1 && tall {
			r.emit(rest, rule())
			line++
		}
		height := 0
		for _, cell := range laid[i] {
			height = max(height, len(cell))
		}
		for k := 0; k < height; k++ {
			var out []span
			for j, cell := range laid[i] {
				if j > 0 {
					out = append(out, span{colSep, Faint})
				}
				var content []span
				if k < len(cell) {
					content = cell[k]
				}
				last := j == ncols-1
				out = append(out, pad(content, widths[j], align(j), last)...)
			}
			p := rest
			if line == 0 {
				p = first
			}
			r.emit(p, out)
			line++
		}
	}
}

// columnWidths returns each column's width for a table whose columns may
// take total cells of width between them, or nil when the columns' longest
// words do not fit.
func columnWidths(rows [][][]span, ncols, total int) []int {
	natural := make([]int, ncols)
	least := make([]int, ncols) // the longest word: no narrower without cutting it
	for _, row := range rows {
		for j, cell := range row {
			for _, l := range splitLines(cell) {
				natural[j] = max(natural[j], spansWidth(l))
			}
			for _, c := range chunks(cell) {
				if !c.space {
					least[j] = max(least[j], c.width)
				}
			}
		}
	}
	sum := func(xs []int) int {
		n := 0
		for _, x := range xs {
			n += max(x, 1)
		}
		return n
	}
	for j := range natural {
		natural[j], least[j] = max(natural[j], 1), max(least[j], 1)
	}
	if sum(natural) <= total {
		return natural
	}
	if sum(least) > total {
		return nil
	}
	// Share what is left over the longest words in proportion to what
	// each column lacks of its natural width; the remainder of the
	// division goes one by one to the columns lacking most.
	widths := append([]int(nil), least...)
	extra := total - sum(least)
	lack := 0
	for j := range widths {
		lack += natural[j] - least[j]
	}
	given := 0
	for j := range widths {
		add := extra * (natural[j] - least[j]) / lack
		widths[j] += add
		given += add
	}
	for ; given < extra; given++ {
		best := 0
		for j := range widths {
			if natural[j]-widths[j] > natural[best]-widths[best] {
				best = j
			}
		}
		widths[best]++
	}
	return widths
}

// wrapCell wraps a cell's text (hard breaks included) to width.
func wrapCell(cell []span, width int) [][]span {
	var out [][]span
	for _, l := range splitLines(cell) {
		out = append(out, wrap(l, width)...)
	}
	return out
}

// pad fills content to width as the column is aligned. The last column
// of a left-aligned row gets no trailing spaces.
func pad(content []span, width int, a east.Alignment, last bool) []span {
	gap := width - spansWidth(content)
	if gap <= 0 {
		return content
	}
	left := 0
	switch a {
	case east.AlignRight:
		left = gap
	case east.AlignCenter:
		left = gap / 2
	}
	out := []span{}
	if left > 0 {
		out = append(out, span{strings.Repeat(" ", left), 0})
	}
	out = append(out, content...)
	if right := gap - left; right > 0 && !last {
		out = append(out, span{strings.Repeat(" ", right), 0})
	}
	return out
}

// records prints a table too wide for the screen one row at a time, each
// cell as "header: value", rows apart by a blank line.
func (r *renderer) records(rows [][][]span, first, rest []span, width int) {
	header := rows[0]
	indent := join(rest, span{"  ", 0})
	body := rows[1:]
	if len(body) == 0 {
		// A table of headers alone: they are the content.
		body, header = rows, make([][]span, len(header))
	}
	line := 0
	for i, row := range body {
		if i > 0 {
			r.lines = append(r.lines, nil)
		}
		for j, cell := range row {
			var content []span
			if name := strings.TrimSpace(plain(header[j])); name != "" {
				content = append(content, span{name + ":", Bold | r.base}, span{" ", 0})
			}
			content = append(content, cell...)
			p := rest
			if line == 0 {
				p = first
			}
			for k, l := range wrapCell(content, width-2) {
				if k == 0 {
					r.emit(p, l)
				} else {
					r.emit(indent, l)
				}
			}
			line++
		}
	}
}
