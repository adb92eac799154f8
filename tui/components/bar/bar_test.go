package bar

import (
	"testing"

	"charm.land/lipgloss/v2"
)

func TestRender(t *testing.T) {
	t.Parallel()
	plain := lipgloss.NewStyle()
	for _, tc := range []struct {
		used, limit int
		want        string
	}{
		{0, 4, "░░░░"},
		{1, 4, "█░░░"},
		{1, 3, "█░░░"},
		{2, 3, "██░░"},
		{1, 100, "█░░░"},
		{99, 100, "███░"},
		{4, 4, "████"},
		{9, 4, "████"},
		{2, 0, "░░░░"},
	} {
		if got := Render(tc.used, tc.limit, 4, plain, plain); got != tc.want {
			t.Errorf("Render(%d, %d) = %q, want %q", tc.used, tc.limit, got, tc.want)
		}
	}
}
