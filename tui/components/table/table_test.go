package table

import (
	"strings"
	"testing"
)

func TestTable_Layout(t *testing.T) {
	t.Parallel()
	cols := []Column{{Title: "ID", Width: 4}, {Title: "NAME", Width: 6, Grow: true}, {Title: "URL", Width: 20, Grow: true}}
	for _, tc := range []struct {
		name  string
		width int
		want  []int
	}{
		{"DropsWhatDoesNotFit", 20, []int{4, 13}},
		{"GrowsEvenly", 40, []int{4, 6 + 3, 20 + 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := New(cols...)
			tb.SetSize(tc.width, 5)
			got := tb.layout()
			if len(got) != len(tc.want) {
				t.Fatalf("widths = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("widths = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestTable_CursorScrolls(t *testing.T) {
	t.Parallel()
	tb := New(Column{Title: "N", Width: 3})
	tb.SetSize(10, 3) // header and two rows
	tb.SetRows([][]string{{"a"}, {"b"}, {"c"}, {"d"}})
	tb.Move(3)
	out := tb.Render()
	if strings.Contains(out, "a") || !strings.Contains(out, "› d") {
		t.Fatalf("cursor row not in view:\n%s", out)
	}
	tb.Move(-10)
	if tb.Cursor != 0 || !strings.Contains(tb.Render(), "› a") {
		t.Fatalf("cursor = %d, want 0", tb.Cursor)
	}
}

func TestTable_Marked(t *testing.T) {
	t.Parallel()
	tb := New(Column{Title: "N", Width: 3})
	tb.SetSize(10, 4)
	tb.SetRows([][]string{{"a"}, {"b"}, {"c"}})
	tb.Marked = func(row int) bool { return row != 1 }
	tb.Move(1)
	want := "  N  \n •a  \n› b  \n •c  "
	if got := tb.Render(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
