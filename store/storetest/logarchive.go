package storetest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// logLines stores n lines for a bot, logged a second apart from at.
func logLines(t *testing.T, s store.Store, botID int64, n int, at time.Time) {
	t.Helper()
	entries := make([]store.LogEntry, n)
	for i := range entries {
		entries[i] = store.LogEntry{BotID: botID, EntryID: "e" + strconv.Itoa(i) + "-" + at.Format(time.RFC3339Nano),
			Time: at.Add(time.Duration(i) * time.Second), Level: "INFO", Message: "line " + strconv.Itoa(i)}
	}
	ok(t, s.InsertLogs(t.Context(), entries))
}

var logArchiveTests = []namedTest{
	{"Backlog", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		many, old, fresh, ended := mkBot(t, s, u.ID), mkBot(t, s, u.ID), mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		mkBot(t, s, u.ID) // no lines at all: never due
		logLines(t, s, many.ID, 10, t0)
		logLines(t, s, old.ID, 2, t0.Add(-time.Hour))
		logLines(t, s, fresh.ID, 2, t0)
		logLines(t, s, ended.ID, 1, t0)
		move(t, s, ended.ID, api.StatusDone)
		due, err := s.LogBacklog(t.Context(), store.LogBacklogQuery{MinRows: 10, OlderThan: t0.Add(-time.Minute)})
		ok(t, err)
		want := []store.LogBacklog{{BotID: many.ID, Rows: 10}, {BotID: old.ID, Rows: 2}, {BotID: ended.ID, Rows: 1, Ended: true}}
		if !slices.Equal(due, want) {
			t.Fatalf("backlog = %+v, want %+v", due, want)
		}
		first, err := s.LogBacklog(t.Context(), store.LogBacklogQuery{MinRows: 10, OlderThan: t0.Add(-time.Minute), Limit: 1})
		ok(t, err)
		eq(t, "limited", len(first), 1)
	}},
	{"ArchiveAndDelete", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		a, b := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		logLines(t, s, a.ID, 700, t0)
		logLines(t, s, b.ID, 3, t0)
		rows, err := s.LogsToArchive(t.Context(), a.ID, 600)
		ok(t, err)
		eq(t, "rows beyond a listing page", len(rows), 600)
		ids := make([]int64, 0, len(rows))
		for i, r := range rows {
			eq(t, "bot", r.BotID, a.ID)
			if i > 0 && r.ID <= rows[i-1].ID {
				t.Fatalf("rows out of id order at %d", i)
			}
			ids = append(ids, r.ID)
		}
		// Every other row, to show that exactly the listed rows go.
		var odd []int64
		for i, id := range ids {
			if i%2 == 1 {
				odd = append(odd, id)
			}
		}
		n, err := s.DeleteLogs(t.Context(), a.ID, odd)
		ok(t, err)
		eq(t, "deleted", n, int64(300))
		n, err = s.DeleteLogs(t.Context(), b.ID, ids) // another bot's ids: nothing
		ok(t, err)
		eq(t, "deleted of the wrong bot", n, int64(0))
		n, err = s.DeleteLogs(t.Context(), a.ID, odd) // again: a retried delete
		ok(t, err)
		eq(t, "deleted again", n, int64(0))
		left, err := s.LogsToArchive(t.Context(), a.ID, 50_000)
		ok(t, err)
		eq(t, "left", len(left), 400)
		eq(t, "first left", left[0].ID, ids[0])
		eq(t, "second left", left[1].ID, ids[2])
		other, err := s.LogsToArchive(t.Context(), b.ID, 10)
		ok(t, err)
		eq(t, "other bot's rows", len(other), 3)
		// Emptied, the table still never hands out an archived row's id:
		// the id is the cursor that joins the archive and the table.
		var all []int64
		for _, r := range append(left, other...) {
			all = append(all, r.ID)
		}
		_, err = s.DeleteLogs(t.Context(), a.ID, all)
		ok(t, err)
		_, err = s.DeleteLogs(t.Context(), b.ID, all)
		ok(t, err)
		logLines(t, s, a.ID, 1, t0.Add(time.Hour))
		fresh, err := s.LogsToArchive(t.Context(), a.ID, 10)
		ok(t, err)
		eq(t, "rows after emptying", len(fresh), 1)
		if top := slices.Max(append(all, ids...)); fresh[0].ID <= top {
			t.Fatalf("a new row got id %d, not above the deleted %d", fresh[0].ID, top)
		}
	}},
	{"Purge", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		early, late, running := mkBot(t, s, u.ID), mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		for _, b := range []store.Bot{early, late, running} {
			logLines(t, s, b.ID, 3, t0)
			_, err := s.InsertScreenshot(t.Context(), store.Screenshot{BotID: b.ID, Key: "bots/" + strconv.FormatInt(b.ID, 10) + "/screenshots/x.png",
				Type: "manual", State: "IN_CALL", Size: 1, CapturedAt: t0})
			ok(t, err)
		}
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: early.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0})
		ok(t, err)
		_, err = s.Transition(t.Context(), store.TransitionParams{BotID: late.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0.Add(time.Hour)})
		ok(t, err)
		cut := t0.Add(time.Minute)
		due, err := s.PurgeDue(t.Context(), store.PurgeQuery{Kind: store.PurgeLogs, EndedBefore: cut})
		ok(t, err)
		if !slices.Equal(due, []int64{early.ID}) {
			t.Fatalf("due = %v, want [%d]", due, early.ID)
		}
		ok(t, s.PurgeBot(t.Context(), early.ID, store.PurgeLogs, t0))
		ok(t, s.PurgeBot(t.Context(), early.ID, store.PurgeLogs, t0)) // a repeated purge
		lines, err := s.ListLogs(t.Context(), early.ID, store.Page{})
		ok(t, err)
		eq(t, "purged lines", len(lines), 0)
		shots, err := s.ListScreenshots(t.Context(), early.ID, store.Page{})
		ok(t, err)
		eq(t, "screenshots kept by a logs purge", len(shots), 1)
		due, err = s.PurgeDue(t.Context(), store.PurgeQuery{Kind: store.PurgeLogs, EndedBefore: cut})
		ok(t, err)
		eq(t, "logs due after the purge", len(due), 0)
		due, err = s.PurgeDue(t.Context(), store.PurgeQuery{Kind: store.PurgeScreenshots, EndedBefore: t0.Add(2 * time.Hour)})
		ok(t, err)
		if !slices.Equal(due, []int64{early.ID, late.ID}) {
			t.Fatalf("screenshots due = %v, want [%d %d]", due, early.ID, late.ID)
		}
		ok(t, s.PurgeBot(t.Context(), late.ID, store.PurgeScreenshots, t0))
		shots, err = s.ListScreenshots(t.Context(), late.ID, store.Page{})
		ok(t, err)
		eq(t, "purged screenshots", len(shots), 0)
		kept, err := s.ListLogs(t.Context(), running.ID, store.Page{})
		ok(t, err)
		eq(t, "a running bot's lines", len(kept), 3)
		if _, err := s.PurgeDue(t.Context(), store.PurgeQuery{Kind: "bots"}); err == nil {
			t.Fatal("an unknown kind was accepted")
		}
	}},
}
