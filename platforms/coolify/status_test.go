package coolify

import (
	"strings"
	"testing"
)

func TestParseStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                   string
		state, health        string
		excluded, run, exits bool
	}{
		{"running:healthy", StateRunning, HealthHealthy, false, true, false},
		{"running:unhealthy", StateRunning, HealthUnhealthy, false, true, false},
		{"running:unknown", StateRunning, HealthUnknown, false, true, false},
		{"starting:unknown", StateStarting, HealthUnknown, false, false, false},
		{"degraded:unhealthy", StateDegraded, HealthUnhealthy, false, false, false},
		{"restarting:unknown", StateRestarting, HealthUnknown, false, false, false},
		{"paused:unknown", StatePaused, HealthUnknown, false, false, false},
		{"exited:unhealthy", StateExited, HealthUnhealthy, false, false, true},
		{"exited", StateExited, "", false, false, true},
		{"running:healthy:excluded", StateRunning, HealthHealthy, true, true, false},
		{"exited:excluded", StateExited, "", true, false, true},
		{"Running (healthy)", StateRunning, HealthHealthy, false, true, false},
		{"", "", "", false, false, false},
		{"removing", "removing", "", false, false, false},
	}
	for _, tc := range cases {
		s := ParseStatus(tc.in)
		if s.State != tc.state || s.Health != tc.health || s.Excluded != tc.excluded ||
			s.Running() != tc.run || s.Exited() != tc.exits || s.String() != tc.in {
			t.Errorf("ParseStatus(%q) = %+v", tc.in, s)
		}
	}
}

// FuzzParseStatus checks that any status string parses without panicking
// into a state with no separator left in it.
func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{"running:healthy", "exited", "x:y:z:excluded", "(", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := ParseStatus(in)
		if strings.Contains(s.State, ":") || s.Raw != in {
			t.Fatalf("ParseStatus(%q) = %+v", in, s)
		}
	})
}
