package scroll

import (
	"strings"
	"testing"
)

func TestView_FollowAndScroll(t *testing.T) {
	t.Parallel()
	v := New()
	v.SetSize(20, 2)
	v.SetLines([]string{"1", "2", "3"})
	if got := v.Render(); got != "2\n3" {
		t.Fatalf("following: %q", got)
	}
	v.Scroll(-1)
	v.SetLines([]string{"1", "2", "3", "4"})
	if v.Follow || v.Render() != "1\n2" {
		t.Fatalf("scrolling up should stop following: %q", v.Render())
	}
	v.ToggleFollow()
	if got := v.Render(); got != "3\n4" {
		t.Fatalf("follow again: %q", got)
	}
}

func TestView_CutsLongLines(t *testing.T) {
	t.Parallel()
	v := New()
	v.SetSize(5, 1)
	v.SetLines([]string{strings.Repeat("x", 10)})
	if got := v.Render(); got != "xxxx…" {
		t.Fatalf("got %q", got)
	}
}
