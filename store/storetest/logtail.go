package storetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

var logTailTests = []namedTest{
	{"Latest", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		a, b := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		var entries []store.LogEntry
		for i := range 10 {
			for _, bot := range []int64{a.ID, b.ID} {
				entries = append(entries, store.LogEntry{BotID: bot, EntryID: strconv.Itoa(i), Time: t0.Add(time.Duration(i) * time.Second), Level: "INFO", Message: "m"})
			}
		}
		ok(t, s.InsertLogs(t.Context(), entries))
		tail, err := s.LatestLogs(t.Context(), a.ID, 4)
		ok(t, err)
		eq(t, "lines", len(tail), 4)
		for i, e := range tail {
			eq(t, "bot", e.BotID, a.ID)
			eq(t, "entry", e.EntryID, strconv.Itoa(6+i))
		}
		all, err := s.LatestLogs(t.Context(), a.ID, 100)
		ok(t, err)
		eq(t, "all", len(all), 10)
		none, err := s.LatestLogs(t.Context(), a.ID+b.ID, 10)
		ok(t, err)
		eq(t, "none", len(none), 0)
	}},
}
