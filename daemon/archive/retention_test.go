package archive_test

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// shot stores a screenshot blob and its record.
func (b bundle) shot(t *testing.T, botID int64, name string) store.Screenshot {
	t.Helper()
	key := "bots/" + strconv.FormatInt(botID, 10) + "/screenshots/" + name + ".png"
	if err := b.blobs.Put(t.Context(), key, bytes.NewReader([]byte("\x89PNG")), 4, "image/png"); err != nil {
		t.Fatal(err)
	}
	sc, err := b.store.InsertScreenshot(t.Context(), store.Screenshot{BotID: botID, Key: key, Type: "manual", State: "IN_CALL", Size: 4, CapturedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// blobsOf lists a bot's objects.
func (b bundle) blobsOf(t *testing.T, botID int64) []blob.Info {
	t.Helper()
	infos, err := b.blobs.List(t.Context(), "bots/"+strconv.FormatInt(botID, 10)+"/")
	if err != nil {
		t.Fatal(err)
	}
	return infos
}

// Retention removes the log (archive and rows) and the screenshots (blobs
// and rows) of bots that ended long enough ago, each after its own
// retention, and leaves recent and running bots alone.
func TestRetention(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		now := time.Now().UTC()
		old, middle, recent, running := b.bot(t), b.bot(t), b.bot(t), b.bot(t)
		for _, bot := range []store.Bot{old, middle, recent, running} {
			b.logN(t, bot.ID, 0, 150)
			b.shot(t, bot.ID, "a")
		}
		b.end(t, old.ID, now.Add(-40*24*time.Hour))
		b.end(t, middle.ID, now.Add(-10*24*time.Hour))
		b.end(t, recent.ID, now.Add(-time.Hour))
		a := b.archiveOf(func(c *archive.Config, _ *archive.Deps) {
			c.LogRetention, c.ScreenshotRetention = 30*24*time.Hour, 7*24*time.Hour
		})
		if _, err := a.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		b.logN(t, old.ID, 150, 3) // late rows, not archived yet: retention takes them too
		if err := a.RetentionPass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := b.blobsOf(t, old.ID); len(got) != 0 {
			t.Fatalf("the old bot keeps %v", got)
		}
		if n := dbRows(t, b.store, old.ID); n != 0 {
			t.Fatalf("the old bot keeps %d log rows", n)
		}
		shots, _ := b.store.ListScreenshots(t.Context(), old.ID, store.Page{})
		if len(shots) != 0 {
			t.Fatalf("the old bot keeps %d screenshot records", len(shots))
		}
		// Past the screenshot retention only: its log stays whole.
		pageAll(t, a, middle.ID, 50, 150)
		shots, _ = b.store.ListScreenshots(t.Context(), middle.ID, store.Page{})
		refs, _ := logarchive.ListChunks(t.Context(), b.blobs, middle.ID)
		if len(shots) != 0 || len(b.blobsOf(t, middle.ID)) != len(refs) {
			t.Fatalf("the middle bot keeps %d screenshots", len(shots))
		}
		for _, bot := range []store.Bot{recent, running} {
			pageAll(t, a, bot.ID, 50, 150)
			if shots, _ := b.store.ListScreenshots(t.Context(), bot.ID, store.Page{}); len(shots) != 1 {
				t.Fatalf("bot %d lost its screenshot", bot.ID)
			}
		}
		// Each bot once: a second pass finds nothing due.
		due, err := b.store.PurgeDue(t.Context(), store.PurgeQuery{Kind: store.PurgeLogs, EndedBefore: now})
		if err != nil || len(due) != 2 {
			t.Fatalf("logs due after the pass: %v, %v; want the two recent ended bots", due, err)
		}
	})
}

// Deleting a bot's blobs removes its archive, screenshots and a recording
// reported under another prefix, and nothing of other bots.
func TestDeleteBot(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b bundle) {
		gone, kept := b.bot(t), b.bot(t)
		for _, bot := range []store.Bot{gone, kept} {
			b.logN(t, bot.ID, 0, 120)
			b.end(t, bot.ID, time.Now())
			b.shot(t, bot.ID, "a")
		}
		rec := "recordings/elsewhere-" + strconv.FormatInt(gone.ID, 10) + ".wav"
		if err := b.blobs.Put(t.Context(), rec, bytes.NewReader([]byte("RIFF")), 4, "audio/wav"); err != nil {
			t.Fatal(err)
		}
		a := b.archiveOf(nil)
		if _, err := a.ArchivePass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteBot(t.Context(), gone.ID, rec); err != nil {
			t.Fatal(err)
		}
		if got := b.blobsOf(t, gone.ID); len(got) != 0 {
			t.Fatalf("left %v", got)
		}
		if _, err := b.blobs.Stat(t.Context(), rec); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("the recording: %v", err)
		}
		pageAll(t, a, kept.ID, 50, 120)
	})
}
