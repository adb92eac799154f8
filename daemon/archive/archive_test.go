package archive_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// A daemon killed between a chunk's upload and its rows' delete, then
// restarted with another chunk size (so the chunks overlap), loses no
// line and shows none twice.
func TestArchive_KilledBetweenUploadAndDelete(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		b.logN(t, bot.ID, 0, 1000)
		chunks := 0
		dying := b.archiveOf(func(_ *archive.Config, d *archive.Deps) {
			d.AfterUpload = func(logarchive.ChunkRef) error {
				if chunks++; chunks == 3 {
					return errKilled
				}
				return nil
			}
		})
		if _, err := dying.ArchivePass(t.Context()); !errors.Is(err, errKilled) {
			t.Fatalf("pass = %v, want the kill", err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 800 {
			t.Fatalf("%d rows in the database after two chunks and a kill, want 800", n)
		}
		b.logN(t, bot.ID, 1000, 500)
		b.end(t, bot.ID, time.Now())
		restarted := b.archiveOf(func(c *archive.Config, _ *archive.Deps) { c.ChunkLines = 70 })
		if _, err := restarted.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 0 {
			t.Fatalf("%d rows left in the database of an ended bot", n)
		}
		pageAll(t, restarted, bot.ID, 37, 1500)
	})
}

// A daemon killed mid-upload leaves no partial chunk and every row.
func TestArchive_KilledMidUpload(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		b.logN(t, bot.ID, 0, 450)
		dying := b.archiveOf(func(_ *archive.Config, d *archive.Deps) { d.Blobs = &dyingPuts{Store: b.blobs, from: 2} })
		if _, err := dying.ArchivePass(t.Context()); !errors.Is(err, errKilled) {
			t.Fatalf("pass = %v, want the kill", err)
		}
		refs, err := logarchive.ListChunks(t.Context(), b.blobs, bot.ID)
		if err != nil || len(refs) != 1 {
			t.Fatalf("chunks after the kill = %v, %v; want the one written before", refs, err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 350 {
			t.Fatalf("%d rows in the database, want 350", n)
		}
		b.end(t, bot.ID, time.Now())
		restarted := b.archiveOf(nil)
		if _, err := restarted.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 0 {
			t.Fatalf("%d rows left", n)
		}
		pageAll(t, restarted, bot.ID, 37, 450)
	})
}

// Ten thousand lines logged while the archiver runs (and is killed once
// between upload and delete) page back in pages of 37, each once, in
// order, across the archive and the database.
func TestArchive_PagesWhileArchiving(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.logN(t, bot.ID, 0, 10_000)
		}()
		chunks := 0
		a := b.archiveOf(func(c *archive.Config, d *archive.Deps) {
			c.ChunkLines = 900
			d.AfterUpload = func(logarchive.ChunkRef) error {
				if chunks++; chunks == 4 {
					return errKilled
				}
				return nil
			}
		})
		for logging := true; logging; {
			select {
			case <-done:
				logging = false
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := a.ArchivePass(t.Context()); err != nil && !errors.Is(err, errKilled) {
				t.Fatal(err)
			}
		}
		// Part archived, part still in the database: one listing.
		pageAll(t, a, bot.ID, 37, 10_000)
		if chunks < 5 {
			t.Fatalf("%d chunks written while logging, want several", chunks)
		}
		b.end(t, bot.ID, time.Now())
		if _, err := a.ArchivePass(t.Context()); err != nil && !errors.Is(err, errKilled) {
			t.Fatal(err)
		}
		if _, err := a.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 0 {
			t.Fatalf("%d rows left", n)
		}
		pageAll(t, a, bot.ID, 37, 10_000)
	})
}

// A running bot is due for the archive only with enough lines or an old
// one, and its lines younger than the quiet period stay.
func TestArchive_RunningBot(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		few, many := b.bot(t), b.bot(t)
		b.logN(t, few.ID, 0, 10) // an hour old: not older than Every below
		b.logN(t, many.ID, 0, 150)
		a := b.archiveOf(func(c *archive.Config, _ *archive.Deps) { c.Every = 2 * time.Hour })
		moved, err := a.ArchivePass(t.Context())
		if err != nil || moved != 150 {
			t.Fatalf("moved %d, %v; want the 150 rows of the busy bot", moved, err)
		}
		if n := dbRows(t, b.store, few.ID); n != 10 {
			t.Fatalf("the quiet bot has %d rows, want 10", n)
		}
		quiet := b.archiveOf(func(c *archive.Config, _ *archive.Deps) { c.Every = time.Minute; c.Quiet = 2 * time.Hour })
		if moved, err := quiet.ArchivePass(t.Context()); err != nil || moved != 0 {
			t.Fatalf("moved %d, %v; want nothing younger than the quiet period", moved, err)
		}
		old := b.archiveOf(func(c *archive.Config, _ *archive.Deps) { c.Every = time.Minute })
		if moved, err := old.ArchivePass(t.Context()); err != nil || moved != 10 {
			t.Fatalf("moved %d, %v; want the 10 old rows", moved, err)
		}
	})
}

// The latest lines come from the archive when the database has too few.
func TestArchive_LatestLogs(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		b.logN(t, bot.ID, 0, 250)
		b.end(t, bot.ID, time.Now())
		a := b.archiveOf(nil)
		if _, err := a.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		b.logN(t, bot.ID, 250, 5) // late lines, still in the database
		tail, err := a.LatestLogs(t.Context(), bot.ID, 120)
		if err != nil {
			t.Fatal(err)
		}
		if len(tail) != 120 || tail[0].EntryID != "e000135" || tail[119].EntryID != "e000254" {
			t.Fatalf("tail of %d lines, %s..%s", len(tail), tail[0].EntryID, tail[len(tail)-1].EntryID)
		}
	})
}

// Several archivers at once (two leaders for a moment, during a
// handover) on one bot, while it logs, still leave every line once.
func TestArchive_ConcurrentArchivers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.logN(t, bot.ID, 0, 3000)
		}()
		errs := make(chan error, 4)
		for i := range 4 {
			a := b.archiveOf(func(c *archive.Config, _ *archive.Deps) { c.ChunkLines = 150 + 40*i })
			go func() {
				for {
					select {
					case <-done:
						_, err := a.ArchivePass(t.Context())
						errs <- err
						return
					default:
					}
					if _, err := a.ArchivePass(t.Context()); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		b.end(t, bot.ID, time.Now())
		a := b.archiveOf(nil)
		if _, err := a.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := dbRows(t, b.store, bot.ID); n != 0 {
			t.Fatalf("%d rows left", n)
		}
		pageAll(t, a, bot.ID, 37, 3000)
	})
}

// downStore is a blob store that cannot be reached.
type downStore struct{ blob.Store }

func (downStore) List(context.Context, string) ([]blob.Info, error) {
	return nil, errors.New("dial tcp: connection refused")
}

// With the blob store down the log is refused as unavailable, not served
// without its archived part.
func TestArchive_StoreDown(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		bot := b.bot(t)
		b.logN(t, bot.ID, 0, 10)
		a := b.archiveOf(func(_ *archive.Config, d *archive.Deps) { d.Blobs = downStore{b.blobs} })
		if _, err := a.Logs(t.Context(), bot.ID, store.Page{}); !errors.Is(err, archive.ErrUnavailable) {
			t.Fatalf("Logs = %v, want ErrUnavailable", err)
		}
		if _, err := a.LatestLogs(t.Context(), bot.ID, 50); !errors.Is(err, archive.ErrUnavailable) {
			t.Fatalf("LatestLogs = %v, want ErrUnavailable", err)
		}
	})
}
