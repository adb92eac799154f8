package cli

import (
	"net/http"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestUsage_Dates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		args             []string
		wantFrom, wantTo string
		wantZone         string
	}{
		{"LastSevenDays", nil, "2026-04-25", "2026-05-01", "UTC"},
		{"ZoneAheadIsTomorrow", []string{"--tz", "Pacific/Kiritimati"}, "2026-04-26", "2026-05-02", "Pacific/Kiritimati"},
		{"Range", []string{"--from", "2026-04-01", "--to", "2026-04-30"}, "2026-04-01", "2026-04-30", "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.daemon.handle("GET /v1/usage", func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				assertEqual(t, "from", q.Get("from"), tt.wantFrom)
				assertEqual(t, "to", q.Get("to"), tt.wantTo)
				assertEqual(t, "zone", q.Get("timeZone"), tt.wantZone)
				reply(http.StatusOK, api.Usage{TimeZone: tt.wantZone, Days: []api.UsageDay{{Date: tt.wantFrom, Bots: 2, BotMinutes: 30.5}}})(w, r)
			})
			b.daemon.handle("GET /v1/plan", reply(http.StatusOK, api.Plan{Plan: "team", DailyLimit: ptr(5), Remaining: ptr(3), ConcurrentLimit: ptr(2), Running: 1}))
			assertEqual(t, "exit", b.run(t, append([]string{"usage"}, tt.args...)...), ExitOK)
			assertEqual(t, "stdout", b.stdout.String(), tt.wantFrom+"\t2\t30.5\n")
			assertEqual(t, "stderr", b.stderr.String(), "plan team: 5 bots a day (3 left today), 2 at once (1 running)\n")
		})
	}
}

func TestUsage_BadRange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "usage", "--from", "2026-05-01", "--to", "2026-04-01"), ExitUsage)
}
