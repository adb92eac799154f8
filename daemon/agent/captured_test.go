package agent

import (
	"log/slog"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestCapturedLinesSurviveBadRows: one bot printing a NUL, and lines of a
// bot deleted meanwhile (a row the database refuses), cost only the lines
// that cannot be stored; every other bot's output is kept.
func TestCapturedLinesSurviveBadRows(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			u, err := st.CreateUser(t.Context(), store.NewUser{Email: "a@b.c", Role: store.RoleMember, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			mk := func() store.Bot {
				now := time.Now()
				b, err := st.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled, JoinAt: &now, LogLevel: "INFO"}, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			nul, plain := mk(), mk()
			s := New(Config{Instance: "t"}, slog.New(slog.DiscardHandler), st, time.Now, nil, func() {})
			s.CaptureLine(nul.ID, "stdout", "before\x00after")
			for range 10 {
				s.CaptureLine(plain.ID, "stdout", "fine")
			}
			s.CaptureLine(plain.ID+1000, "stdout", "a bot that is gone")
			s.captured.Flush(t.Context())
			for bot, want := range map[int64]int{nul.ID: 1, plain.ID: 10} {
				logs, err := st.ListLogs(t.Context(), bot, store.Page{Limit: 100})
				if err != nil || len(logs) != want {
					t.Fatalf("bot %d: %d lines, %v; want %d", bot, len(logs), err, want)
				}
			}
			if got := s.captured.Dropped(); got != 1 {
				t.Fatalf("dropped %d lines, want 1", got)
			}
		})
	}
}
