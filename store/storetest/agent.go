package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

var agentTests = []namedTest{
	{"Token", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		a, b := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		ok(t, s.SetBotToken(t.Context(), a.ID, "h1"))
		got, err := s.BotStateByToken(t.Context(), "h1")
		ok(t, err)
		eq(t, "bot", got.ID, a.ID)
		eq(t, "owner", got.UserID, u.ID)
		eq(t, "status", got.Status, a.Status)
		eq(t, "log level", got.LogLevel, a.LogLevel)
		byID, err := s.BotState(t.Context(), b.ID)
		ok(t, err)
		eq(t, "bot by id", byID.ID, b.ID)
		wantErr(t, s.SetBotToken(t.Context(), b.ID, "h1"), store.ErrConflict)
		wantErr(t, s.SetBotToken(t.Context(), b.ID+100, "h2"), store.ErrNotFound)
		_, err = s.BotStateByToken(t.Context(), "nope")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.BotStateByToken(t.Context(), "")
		wantErr(t, err, store.ErrNotFound)
	}},
	{"Heartbeats", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		bots := mkBots(t, s, u.ID, 3)
		beats := map[int64]time.Time{}
		for i, b := range bots {
			beats[b.ID] = t0.Add(time.Duration(i) * time.Second)
		}
		ok(t, s.RecordHeartbeats(t.Context(), beats))
		ok(t, s.RecordHeartbeats(t.Context(), map[int64]time.Time{bots[2].ID: t0, bots[0].ID + 1000: t0}))
		for i, b := range bots {
			got, _ := s.GetBot(t.Context(), b.ID)
			eqTime(t, "heartbeat", got.LastHeartbeatAt, t0.Add(time.Duration(i)*time.Second))
		}
	}},
	{"Logs", func(t *testing.T, s store.Store) {
		b := mkBot(t, s, mkUser(t, s).ID)
		var entries []store.LogEntry
		for i := range 150 {
			entries = append(entries, store.LogEntry{BotID: b.ID, EntryID: fmt.Sprint(i), Time: t0, Level: "INFO",
				Message: "m", Fields: json.RawMessage(`{"state":"IN_CALL"}`)})
		}
		ok(t, s.InsertLogs(t.Context(), entries))
		ok(t, s.InsertLogs(t.Context(), append(entries[100:], store.LogEntry{BotID: b.ID, EntryID: "new", Time: t0})))
		page, err := s.ListLogs(t.Context(), b.ID, store.Page{Limit: 500})
		ok(t, err)
		eq(t, "entries", len(page), 151)
		eq(t, "first", page[0].EntryID, "0")
		eq(t, "last", page[150].EntryID, "new")
		if page[150].Fields != nil || len(page[0].Fields) == 0 {
			t.Fatalf("fields = %q, %q", page[0].Fields, page[150].Fields)
		}
		next, err := s.ListLogs(t.Context(), b.ID, store.Page{AfterID: page[49].ID, Limit: 10})
		ok(t, err)
		eq(t, "after", next[0].EntryID, "50")
	}},
	{"Screenshots", func(t *testing.T, s store.Store) {
		b := mkBot(t, s, mkUser(t, s).ID)
		x, err := s.InsertScreenshot(t.Context(), store.Screenshot{BotID: b.ID, Key: "k/1.png", Type: "error", State: "IN_CALL", Trigger: "t", Size: 42, CapturedAt: t0})
		ok(t, err)
		eq(t, "size", x.Size, int64(42))
		list, err := s.ListScreenshots(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "list", len(list), 1)
		eq(t, "same", list[0], x)
		_, err = s.InsertScreenshot(t.Context(), store.Screenshot{BotID: b.ID + 100, Key: "k", CapturedAt: t0})
		wantErr(t, err, store.ErrConflict)
	}},
}
