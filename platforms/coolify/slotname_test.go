package coolify

import "testing"

func TestSlotName(t *testing.T) {
	t.Parallel()
	good := map[string]SlotName{
		"pool-google-meet-001":     {GoogleMeet, 1},
		"pool-microsoft-teams-042": {MicrosoftTeams, 42},
		"pool-zoom-999":            {Zoom, 999},
		"pool-zoom-1000":           {Zoom, 1000},
	}
	for in, want := range good {
		got, err := ParseSlotName(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseSlotName(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	bad := []string{"", "pool-", "pool-zoom", "pool-zoom-", "pool-zoom-1", "pool-zoom-01", "pool-zoom-000",
		"pool-zoom-0001", "pool-zoom--01", "pool-zoom-+01", "pool-zoom-abc", "pool-unknown-001", "pool-Zoom-001",
		"zoom-001", "my-app", "pool-google-001", "pool-zoom-001 "}
	for _, in := range bad {
		if got, err := ParseSlotName(in); err == nil {
			t.Errorf("ParseSlotName(%q) = %+v, want an error", in, got)
		}
	}
}

// FuzzSlotName checks that every name that parses formats back to itself,
// so one slot can never answer to two names.
func FuzzSlotName(f *testing.F) {
	f.Add("pool-zoom-001")
	f.Add("pool-google-meet-1000")
	f.Add("pool-microsoft-teams-0999")
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParseSlotName(in)
		if err != nil {
			return
		}
		if n.String() != in || n.Number < 1 {
			t.Fatalf("ParseSlotName(%q) = %+v, which formats as %q", in, n, n.String())
		}
	})
}
