package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestColorOnlyAddsStyle checks that colour never carries meaning the plain
// screen lacks: stripping the escape codes of every coloured view gives the
// plain view exactly.
func TestColorOnlyAddsStyle(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"1", "2", "3", "4", "?"} {
		t.Run("View"+key, func(t *testing.T) {
			t.Parallel()
			plain := newHarness(t, 100, 30).ready()
			colour := newHarness(t, 100, 30)
			colour.m = New(t.Context(), colour.fake, Options{Now: func() time.Time { return testNow }})
			colour.send(windowSize(100, 30))
			colour.ready()
			plain.keys(key)
			colour.keys(key)
			got := colour.view()
			if got == ansi.Strip(got) {
				t.Fatal("coloured view has no styling")
			}
			if ansi.Strip(got) != plain.view() {
				t.Fatalf("coloured view differs from plain:\n%s\n---\n%s", ansi.Strip(got), plain.view())
			}
		})
	}
}
