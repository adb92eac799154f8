package account

import (
	"strings"
	"testing"
)

// TestValidPlanName holds plan names to the migration's CHECK: 1 to 64
// letters, digits, '-' or '_'.
func TestValidPlanName(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"pro": true, "team-2_x": true, strings.Repeat("p", 64): true,
		strings.Repeat("p", 65): false, "": false, "with space": false, "dot.ted": false, "ünï": false,
	} {
		if validPlanName(s) != want {
			t.Errorf("plan name %q valid = %v, want %v", s, !want, want)
		}
	}
}
