package cli

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestBotCreate_Flags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode ExitCode
		check    func(t *testing.T, o *botCreateOptions)
	}{
		{"MissingURL", []string{"--name", "x"}, ExitUsage, nil},
		{"ExtraArg", []string{"--meeting-url", "u", "oops"}, ExitUsage, nil},
		{"BadPlatform", []string{"--meeting-url", "u", "--meeting-platform", "skype"}, ExitUsage, nil},
		{"OldPlatformFlag", []string{"--meeting-url", "u", "--platform", "zoom"}, ExitOK, func(t *testing.T, o *botCreateOptions) {
			assertEqual(t, "platform", o.Request.Meeting.Platform, "zoom")
		}},
		{"PriorityTooLow", []string{"--meeting-url", "u", "--priority", "-1"}, ExitUsage, nil},
		{"PriorityTooHigh", []string{"--meeting-url", "u", "--priority", "10"}, ExitUsage, nil},
		{"BadMetadata", []string{"--meeting-url", "u", "--metadata", "novalue"}, ExitUsage, nil},
		{"BadJoinAt", []string{"--meeting-url", "u", "--join-at", "tomorrow"}, ExitUsage, nil},
		{"BadDuration", []string{"--meeting-url", "u", "--max-duration", "long"}, ExitUsage, nil},
		{"Minimal", []string{"--meeting-url", "https://zoom.us/j/1"}, ExitOK, func(t *testing.T, o *botCreateOptions) {
			assertEqual(t, "url", o.Request.Meeting.MeetingURL, "https://zoom.us/j/1")
			assertEqual(t, "join at", o.Request.JoinAt, (*time.Time)(nil))
			if len(o.IdempotencyKey) < 16 {
				t.Errorf("idempotency key %q: want a random default", o.IdempotencyKey)
			}
		}},
		{"Full", []string{"--meeting-url", "u", "--name", "Notes", "--join-at", "+10m", "--metadata", "team=sales",
			"--metadata", "deal=a=b", "--idempotency-key", "k1", "--meeting-platform", "zoom", "--max-duration", "1h",
			"--recording", "--callback-url", "https://cb", "--queue-timeout", "5m", "--priority", "3", "--wait"}, ExitOK,
			func(t *testing.T, o *botCreateOptions) {
				r := o.Request
				assertEqual(t, "join at", *r.JoinAt, fixedNow.Add(10*time.Minute))
				assertEqual(t, "metadata", formatMetadata(r.Metadata), "deal=a=b,team=sales")
				assertEqual(t, "key", o.IdempotencyKey, "k1")
				assertEqual(t, "platform", r.Meeting.Platform, "zoom")
				assertEqual(t, "max", r.MaxDurationSeconds, int64(3600))
				assertEqual(t, "queue", r.QueueTimeoutSeconds, int64(300))
				assertEqual(t, "recording", r.RecordingEnabled, true)
				assertEqual(t, "name", r.DisplayName, "Notes")
				assertEqual(t, "wait", o.Wait, true)
				assertEqual(t, "priority", r.Priority, 3)
			}},
		{"AbsoluteJoinAt", []string{"--meeting-url", "u", "--join-at", "2026-05-01T14:00:00+02:00"}, ExitOK,
			func(t *testing.T, o *botCreateOptions) {
				assertEqual(t, "join at", o.Request.JoinAt.Equal(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)), true)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var got *botCreateOptions
			cmd := newCmdBotCreate(b.f, func(o *botCreateOptions) error { got = o; return nil })
			assertEqual(t, "exit", runCommand(t, cmd, tt.args...), tt.wantCode)
			if tt.check != nil && got != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestBotCreate_Prints(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("POST /v1/bots", func(w http.ResponseWriter, r *http.Request) {
		var req api.CreateBotRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		assertEqual(t, "body url", req.Meeting.MeetingURL, "https://meet.google.com/abc-defg-hij")
		assertEqual(t, "auth", r.Header.Get("Authorization"), "Bearer mbk_test_0123456789")
		if r.Header.Get("Idempotency-Key") == "" {
			t.Error("create sent no Idempotency-Key")
		}
		reply(http.StatusCreated, sampleBot(9, api.StatusQueued))(w, r)
	})
	code := b.run(t, "bot", "create", "--meeting-url", "https://meet.google.com/abc-defg-hij")
	assertEqual(t, "exit", code, ExitOK)
	want := "id\t9\nname\tNotes\nstatus\tQUEUED\nmeeting_url\thttps://meet.google.com/abc-defg-hij\n" +
		"meeting_platform\tgoogle-meet\npriority\t0\nmax_duration\t1h\nmetadata.team\tsales\n" +
		"created\t2026-05-01T11:55:00Z\nupdated\t2026-05-01T11:59:00Z\n"
	assertEqual(t, "stdout", b.stdout.String(), want)
	assertEqual(t, "stderr", b.stderr.String(), "")
}

func TestBotCreate_ValidationProblem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("POST /v1/bots", problemReply(http.StatusUnprocessableEntity, api.CodeValidation,
		"the request is invalid", api.FieldError{Field: "meeting.meetingUrl", Message: "must be an https URL"}))
	code := b.run(t, "bot", "create", "--meeting-url", "ftp://x")
	assertEqual(t, "exit", code, ExitUsage)
	assertEqual(t, "stderr", b.stderr.String(), "error: the request is invalid\n  meeting.meetingUrl: must be an https URL\n")
}

// botAt returns sampleBot(9) in a status with the given changes.
func botAt(status api.BotStatus, change func(*api.Bot)) *api.Bot {
	bot := sampleBot(9, status)
	if change != nil {
		change(&bot)
	}
	return &bot
}

func statusEvents(bots ...*api.Bot) []api.StreamEvent {
	evs := make([]api.StreamEvent, len(bots))
	for i, b := range bots {
		evs[i] = api.StreamEvent{Type: "bot", Bot: b}
	}
	return evs
}

func TestBotCreate_Wait(t *testing.T) {
	t.Parallel()
	queued := botAt(api.StatusQueued, func(b *api.Bot) { b.QueuePosition, b.EstimatedWaitSeconds = 3, 120 })
	deploying := botAt(api.StatusDeploying, func(b *api.Bot) { b.DeploymentPlatform = "local" })
	done := botAt(api.StatusDone, func(b *api.Bot) { b.EndReason = api.ReasonCompleted })
	fatal := botAt(api.StatusFatal, func(b *api.Bot) { b.EndReason, b.EndDetail = "bot_error", "SIGN_IN_REQUIRED" })
	tests := []struct {
		name       string
		stream     []api.StreamEvent
		wantCode   ExitCode
		wantStderr string
	}{
		{"Done", append(statusEvents(queued, queued, deploying, botAt(api.StatusJoiningCall, nil), botAt(api.StatusInCall, nil)),
			api.StreamEvent{Type: "ping"}, api.StreamEvent{Type: "bot", Bot: done}), ExitOK,
			"created bot 9; following it (Ctrl-C stops waiting, the bot keeps going)\n" +
				"12:00:00 QUEUED (position 3, ~2m)\n12:00:00 DEPLOYING on local\n12:00:00 JOINING_CALL\n" +
				"12:00:00 IN_CALL\n12:00:00 DONE (completed)\n"},
		{"Fatal", statusEvents(queued, fatal), ExitBotFatal,
			"created bot 9; following it (Ctrl-C stops waiting, the bot keeps going)\n" +
				"12:00:00 QUEUED (position 3, ~2m)\n12:00:00 FATAL (bot_error: SIGN_IN_REQUIRED)\n" +
				"error: bot 9 ended FATAL: bot_error (SIGN_IN_REQUIRED)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.daemon.handle("POST /v1/bots", reply(http.StatusCreated, queued))
			b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) { sse(w, tt.stream...) })
			code := b.run(t, "bot", "create", "--meeting-url", "u", "--wait", "--json")
			assertEqual(t, "exit", code, tt.wantCode)
			assertEqual(t, "stderr", b.stderr.String(), tt.wantStderr)
			var final api.Bot
			if err := json.Unmarshal(b.stdout.Bytes(), &final); err != nil {
				t.Fatalf("stdout is not one bot: %v\n%s", err, b.stdout)
			}
			assertEqual(t, "final status", final.Status.Terminal(), true)
		})
	}
}

// TestBotCreate_WaitReconnects drops the stream as a restarting daemon
// would: the CLI re-reads the bot, reconnects, and sees it end.
func TestBotCreate_WaitReconnects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	deploying := botAt(api.StatusDeploying, func(b *api.Bot) { b.DeploymentPlatform = "local" })
	b.daemon.handle("POST /v1/bots", reply(http.StatusCreated, botAt(api.StatusQueued, nil)))
	var conns atomic.Int32
	b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
		if conns.Add(1) == 1 {
			sse(w, statusEvents(botAt(api.StatusQueued, nil))...) // then the connection drops
			return
		}
		sse(w, statusEvents(deploying, botAt(api.StatusDone, func(b *api.Bot) { b.EndReason = "completed" }))...)
	})
	b.daemon.handle("GET /v1/bots/9", reply(http.StatusOK, deploying))
	code := b.run(t, "bot", "create", "--meeting-url", "u", "--wait")
	assertEqual(t, "exit", code, ExitOK)
	want := "created bot 9; following it (Ctrl-C stops waiting, the bot keeps going)\n" +
		"12:00:00 QUEUED\nlost the connection to the daemon; reconnecting...\n" +
		"12:00:00 DEPLOYING on local\nreconnected\n12:00:00 DONE (completed)\n"
	assertEqual(t, "stderr", b.stderr.String(), want)
}

func TestBotCreate_WaitInterrupted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	b.daemon.handle("POST /v1/bots", reply(http.StatusCreated, botAt(api.StatusQueued, nil)))
	b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
		sse(w, statusEvents(botAt(api.StatusQueued, nil))...)
		cancel() // Ctrl-C
		<-r.Context().Done()
	})
	code := execute(ctx, b.f, []string{"bot", "create", "--meeting-url", "u", "--wait"})
	assertEqual(t, "exit", code, ExitCancelled)
	if !strings.HasSuffix(b.stderr.String(), "stopped waiting; bot 9 is still QUEUED (cancel it with: meeboter bot cancel 9)\n") {
		t.Errorf("stderr:\n%s", b.stderr)
	}
}

// formatMetadata renders metadata as sorted k=v pairs.
func formatMetadata(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + m[k]
	}
	return strings.Join(pairs, ",")
}
