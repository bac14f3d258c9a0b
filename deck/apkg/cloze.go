package apkg

import (
	"html"
	"sort"
	"strconv"
	"strings"
)

// Cloze deletions: {{c1::answer}} or {{c1::answer::hint}}, possibly nested
// (Anki 2.1.56+). The text is parsed once into a tree and rendered per
// cloze number.

type apkgClozeNode struct {
	text     string // a text node when num == 0
	num      int    // cloze number, ≥ 1
	hint     string
	children []*apkgClozeNode
}

// apkgMaxCloze bounds the numbers accepted from a package; Anki's own
// editor stops far below it, and it keeps a hostile note from asking for
// millions of cards.
const apkgMaxCloze = 500

// apkgParseCloze splits s into text and cloze nodes. Unbalanced markers are
// kept as text, as Anki shows them.
func apkgParseCloze(s string) []*apkgClozeNode {
	type frame struct {
		node  *apkgClozeNode
		start int // offset of "{{c" in s, to restore the text if never closed
	}
	root := &apkgClozeNode{}
	stack := []frame{{node: root}}
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			top := stack[len(stack)-1].node
			top.children = append(top.children, &apkgClozeNode{text: text.String()})
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "{{c") {
			j := i + 3
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+3 && strings.HasPrefix(s[j:], "::") {
				n, err := strconv.Atoi(s[i+3 : j])
				if err == nil && n >= 1 && n <= apkgMaxCloze {
					flush()
					stack = append(stack, frame{node: &apkgClozeNode{num: n}, start: i})
					i = j + 2
					continue
				}
			}
		}
		if strings.HasPrefix(s[i:], "}}") && len(stack) > 1 {
			flush()
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			apkgSplitHint(f.node)
			parent := stack[len(stack)-1].node
			parent.children = append(parent.children, f.node)
			i += 2
			continue
		}
		text.WriteByte(s[i])
		i++
	}
	flush()
	// Unclosed clozes fall back to their literal text.
	for len(stack) > 1 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		parent := stack[len(stack)-1].node
		parent.children = append(parent.children, &apkgClozeNode{text: "{{c" + strconv.Itoa(f.node.num) + "::"})
		parent.children = append(parent.children, f.node.children...)
	}
	return root.children
}

// apkgSplitHint moves the text after "::" in a cloze's last text child into its hint.
func apkgSplitHint(n *apkgClozeNode) {
	if len(n.children) == 0 {
		return
	}
	last := n.children[len(n.children)-1]
	if last.num != 0 {
		return
	}
	if k := strings.Index(last.text, "::"); k >= 0 {
		n.hint = last.text[k+2:]
		last.text = last.text[:k]
	}
}

// apkgClozeNumbers lists the cloze numbers in nodes, ascending.
func apkgClozeNumbers(nodes []*apkgClozeNode) []int {
	seen := map[int]bool{}
	var walk func([]*apkgClozeNode)
	walk = func(ns []*apkgClozeNode) {
		for _, n := range ns {
			if n.num > 0 {
				seen[n.num] = true
			}
			walk(n.children)
		}
	}
	walk(nodes)
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// apkgRenderCloze renders nodes for card n. On the front the active cloze
// becomes blank(hint) and the others show their answers; on the back the
// active answer is wrapped in <b> and the others show plainly.
func apkgRenderCloze(nodes []*apkgClozeNode, n int, front bool, blank func(hint string) string) string {
	var b strings.Builder
	var walk func([]*apkgClozeNode)
	walk = func(ns []*apkgClozeNode) {
		for _, c := range ns {
			switch {
			case c.num == 0:
				b.WriteString(c.text)
			case c.num == n && front:
				b.WriteString(blank(c.hint))
			case c.num == n:
				b.WriteString("<b>")
				walk(c.children)
				b.WriteString("</b>")
			default:
				walk(c.children)
			}
		}
	}
	walk(nodes)
	return b.String()
}

// apkgClozeHint turns a hint, which is HTML, into plain text for "[hint]".
func apkgClozeHint(h string) string {
	h = apkgHTMLRE.ReplaceAllString(h, "")
	return strings.Join(strings.Fields(html.UnescapeString(h)), " ")
}
