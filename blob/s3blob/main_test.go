package s3blob_test

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/blob/s3blob/s3test"
)

// TestMain stops the shared S3 server, which the first test needing it
// starts.
func TestMain(m *testing.M) {
	code := m.Run()
	s3test.StopShared()
	os.Exit(code)
}
