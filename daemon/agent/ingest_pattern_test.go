package agent

import (
	"strings"
	"testing"
)

// TestEventTypePattern holds the event type check to its rule: upper
// snake case, starting with a letter, at most 64 characters.
func TestEventTypePattern(t *testing.T) {
	t.Parallel()
	valid := func(s string) bool { return len(s) <= 64 && eventType.MatchString(s) }
	for s, want := range map[string]bool{
		"JOINED": true, "A": true, "PARTICIPANT_JOIN_2": true, "A" + strings.Repeat("B", 63): true,
		"A" + strings.Repeat("B", 64): false, "": false, "joined": false, "_JOIN": false, "2FA": false, "JOIN-ED": false,
	} {
		if valid(s) != want {
			t.Errorf("event type %q valid = %v, want %v", s, !want, want)
		}
	}
}
