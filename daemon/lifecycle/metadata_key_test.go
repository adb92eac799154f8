package lifecycle

import (
	"strings"
	"testing"
)

// TestMetadataKeyPattern holds metadata keys to 1-64 characters of
// letters, digits and _ . - /.
func TestMetadataKeyPattern(t *testing.T) {
	t.Parallel()
	valid := func(s string) bool { return len(s) <= 64 && metadataKey.MatchString(s) }
	for s, want := range map[string]bool{
		"team": true, "crm/deal.id-2_x": true, strings.Repeat("k", 64): true,
		strings.Repeat("k", 65): false, "": false, "a b": false, "a:b": false,
	} {
		if valid(s) != want {
			t.Errorf("metadata key %q valid = %v, want %v", s, !want, want)
		}
	}
}
