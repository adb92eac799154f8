package archive_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestMain stops the shared S3 server, which the first test needing it
// starts.
func TestMain(m *testing.M) {
	code := m.Run()
	s3test.StopShared()
	os.Exit(code)
}

// bundle is one archive over a real store and a real blob store.
type bundle struct {
	store store.Store
	blobs blob.Store
	user  store.User
}

// each runs fn on every engine with every blob store: the directory
// store always, S3 when its test server is available.
func each(t *testing.T, fn func(t *testing.T, b bundle)) {
	for engine, open := range storetest.Engines(t) {
		for name, blobs := range map[string]func(testing.TB) blob.Store{"Dir": openDir, "S3": openS3} {
			t.Run(engine+"/"+name, func(t *testing.T) {
				t.Parallel()
				st := open(t)
				u, err := st.CreateUser(t.Context(), store.NewUser{Email: "a@example.test", Role: store.RoleMember, Now: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
				fn(t, bundle{store: st, blobs: blobs(t), user: u})
			})
		}
	}
}

func openDir(tb testing.TB) blob.Store { return blobtest.OpenDir(tb) }

func openS3(tb testing.TB) blob.Store { return s3test.OpenStore(tb) }

// archiveOf returns an archive of the bundle with small chunks and no
// quiet period, changed by edit.
func (b bundle) archiveOf(edit func(*archive.Config, *archive.Deps)) *archive.Service {
	cfg := archive.Config{ChunkLines: 100, Quiet: time.Nanosecond, Every: time.Hour}
	d := archive.Deps{Store: b.store, Blobs: b.blobs}
	if edit != nil {
		edit(&cfg, &d)
	}
	return archive.New(cfg, d)
}

// bot creates a running bot.
func (b bundle) bot(t *testing.T) store.Bot {
	t.Helper()
	bot, err := b.store.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: b.user.ID, Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"}}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return bot
}

// end moves a bot to DONE, at when.
func (b bundle) end(t *testing.T, id int64, when time.Time) {
	t.Helper()
	if _, err := b.store.Transition(t.Context(), store.TransitionParams{BotID: id, To: api.StatusDone, Reason: api.ReasonCompleted, Now: when}); err != nil {
		t.Fatal(err)
	}
}

// logN stores lines from..from+n-1 of a bot, logged in the past so that
// they are settled, in batches as a bot sends them.
func (b bundle) logN(t testing.TB, botID int64, from, n int) {
	t.Helper()
	for start := from; start < from+n; start += 250 {
		var batch []store.LogEntry
		for i := start; i < min(start+250, from+n); i++ {
			batch = append(batch, store.LogEntry{BotID: botID, EntryID: fmt.Sprintf("e%06d", i), Time: time.Now().Add(-time.Hour),
				Level: "INFO", Message: fmt.Sprintf("line %d", i), Fields: []byte(`{"n":` + fmt.Sprint(i) + `}`)})
		}
		if err := b.store.InsertLogs(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
	}
}

// pageAll reads a bot's whole log through Logs in pages of size, and
// checks it holds lines 0..n-1, each once, in order.
func pageAll(t *testing.T, a *archive.Service, botID int64, size, n int) {
	t.Helper()
	var after int64
	seen := 0
	for {
		page, err := a.Logs(t.Context(), botID, store.Page{AfterID: after, Limit: size})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > size {
			t.Fatalf("a page of %d lines, asked for %d", len(page), size)
		}
		for _, e := range page {
			if want := fmt.Sprintf("e%06d", seen); e.EntryID != want {
				t.Fatalf("line %d is %s (id %d), want %s", seen, e.EntryID, e.ID, want)
			}
			if e.ID <= after {
				t.Fatalf("id %d does not follow %d", e.ID, after)
			}
			after = e.ID
			seen++
		}
	}
	if seen != n {
		t.Fatalf("paged %d lines, want %d", seen, n)
	}
}

// dbRows counts a bot's log rows still in the database.
func dbRows(t *testing.T, st store.Store, botID int64) int {
	t.Helper()
	rows, err := st.LogsToArchive(t.Context(), botID, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// errKilled stands for the daemon dying: nothing after it runs.
var errKilled = errors.New("killed")

// dyingPuts is a blob store whose Puts die after sending half their
// body, as a daemon killed mid-upload would, from the nth Put on.
type dyingPuts struct {
	blob.Store
	from int
	puts int
}

func (d *dyingPuts) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	if d.puts++; d.puts < d.from {
		return d.Store.Put(ctx, key, r, size, ct)
	}
	return d.Store.Put(ctx, key, &halfReader{r: r, left: max(1, size/2)}, size, ct)
}

type halfReader struct {
	r    io.Reader
	left int64
}

func (h *halfReader) Read(p []byte) (int, error) {
	if h.left <= 0 {
		return 0, errKilled
	}
	p = p[:min(int64(len(p)), h.left)]
	n, err := h.r.Read(p)
	h.left -= int64(n)
	return n, err
}
