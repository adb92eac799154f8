package cli

import (
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

// TestBotGet_Ended shows why a bot ended, apart from its status for
// scripts, and each metadata key on a row of its own.
func TestBotGet_Ended(t *testing.T) {
	t.Parallel()
	bot := sampleBot(9, api.StatusFatal)
	bot.EndReason, bot.EndDetail = "heartbeat_timeout", "no heartbeat for 2m0s"
	bot.Metadata["deal"] = "42"
	bot.Priority = 2
	ended := fixedNow.Add(-2 * time.Minute)
	bot.EndedAt = &ended
	for _, tt := range []struct {
		name string
		tty  bool
		want string
	}{
		{"Piped", false, "id\t9\nname\tNotes\nstatus\tFATAL\nend_reason\theartbeat_timeout\nend_detail\tno heartbeat for 2m0s\n" +
			"meeting_url\thttps://meet.google.com/abc-defg-hij\nmeeting_platform\tgoogle-meet\npriority\t2\nmax_duration\t1h\n" +
			"metadata.deal\t42\nmetadata.team\tsales\ncreated\t2026-05-01T11:55:00Z\nended\t2026-05-01T11:58:00Z\nupdated\t2026-05-01T11:59:00Z\n"},
		{"Terminal", true, "id:                9\nname:              Notes\n" +
			"status:            FATAL (heartbeat_timeout: no heartbeat for 2m0s)\nend_reason:        heartbeat_timeout\n" +
			"end_detail:        no heartbeat for 2m0s\nmeeting_url:       https://meet.google.com/abc-defg-hij\n" +
			"meeting_platform:  google-meet\npriority:          2\nmax_duration:      1h\nmetadata.deal:     42\n" +
			"metadata.team:     sales\ncreated:           5m ago\nended:             2m ago\nupdated:           1m ago\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.f.IO.SetStdoutTTY(tt.tty)
			b.daemon.handle("GET /v1/bots/9", reply(http.StatusOK, bot))
			assertEqual(t, "exit", b.run(t, "bot", "get", "9"), ExitOK)
			assertEqual(t, "stdout", b.stdout.String(), tt.want)
		})
	}
}
