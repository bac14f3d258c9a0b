package main

import "testing"

// A media file renamed on a name clash is renamed in every reference:
// the angle-bracket and sound forms kept the old name.
func TestRenameMedia(t *testing.T) {
	tests := []struct{ in, old, new, want string }{
		{"see ![](x.png) here", "x.png", "x-1a2b.png", "see ![](x-1a2b.png) here"},
		{"![a diagram](<a b.png>)", "a b.png", "a b-1a2b.png", "![a diagram](<a b-1a2b.png>)"},
		{`![](x.png "the title")`, "x.png", "x-1a2b.png", `![](x-1a2b.png "the title")`},
		{"say [sound:x.mp3] twice [sound:x.mp3]", "x.mp3", "x-1a2b.mp3", "say [sound:x-1a2b.mp3] twice [sound:x-1a2b.mp3]"},
		{"not ![](ax.png) nor [sound:x.mp3x] nor x.png", "x.png", "y.png", "not ![](ax.png) nor [sound:x.mp3x] nor x.png"},
	}
	for _, tt := range tests {
		if got := renameMedia(tt.in, tt.old, tt.new); got != tt.want {
			t.Errorf("renameMedia(%q, %q, %q) = %q, want %q", tt.in, tt.old, tt.new, got, tt.want)
		}
	}
}
