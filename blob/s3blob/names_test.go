package s3blob

import (
	"strings"
	"testing"
)

// TestCheckBucketAndRegion holds the names to S3's rules: a bucket of 3-63
// lowercase letters, digits, dots and hyphens that starts and ends with a
// letter or digit; a region of at most 32.
func TestCheckBucketAndRegion(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{
		"abc": true, "my.bucket-1": true, strings.Repeat("b", 63): true,
		"ab": false, strings.Repeat("b", 64): false, "-abc": false, "abc-": false, "ABC": false, "a_b": false,
	} {
		if err := checkBucket(name); (err == nil) != ok {
			t.Errorf("checkBucket(%q) = %v", name, err)
		}
	}
	for region, ok := range map[string]bool{"": true, "us-east-1": true, strings.Repeat("r", 32): true, strings.Repeat("r", 33): false, "US": false} {
		if err := checkRegion(region); (err == nil) != ok {
			t.Errorf("checkRegion(%q) = %v", region, err)
		}
	}
}
