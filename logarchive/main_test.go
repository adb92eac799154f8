package logarchive_test

import (
	"os"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
)

// TestMain stops the shared S3 server, which the first test needing it
// starts.
func TestMain(m *testing.M) {
	code := m.Run()
	s3test.StopShared()
	os.Exit(code)
}

// backends are the stores the archive format is tested on: the local
// directory store always, S3 when its test server is available.
var backends = []struct {
	name string
	open func(testing.TB) blob.Store
}{
	{"Dir", openDir},
	{"S3", openS3},
}

func openDir(tb testing.TB) blob.Store { return blobtest.OpenDir(tb) }

func openS3(tb testing.TB) blob.Store { return s3test.OpenStore(tb) }

// rows makes n log entries of a bot with ascending ids starting after
// from, leaving gaps as the shared row sequence does when other bots log
// in between.
func rows(botID, from int64, n int) []Entry {
	out := make([]Entry, n)
	id := from
	for i := range out {
		id += 1 + int64(i%3) // gaps of 0, 1 and 2 ids
		out[i] = Entry{
			ID: id, BotID: botID, EntryID: "e" + itoa(id),
			Time:    time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Millisecond),
			Level:   []string{"INFO", "DEBUG", "WARN", "ERROR"}[i%4],
			Message: "line " + itoa(id) + " — état ✓",
			Fields:  []byte(`{"state":"IN_CALL","elapsed":"` + itoa(id) + `ms"}`),
		}
	}
	return out
}
