package daemon_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

const (
	teamsURL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"
	zoomURL  = "https://us02web.zoom.us/j/81234567890?pwd=xyz"
	// missingID names no row on either engine.
	missingID int64 = 987654321
)

// startDaemon runs a daemon on open's engine. Unless cfg says otherwise,
// the rate limit is high enough never to interfere and the local platform
// holds 16 bots.
func startDaemon(tb testing.TB, open func(testing.TB) store.Store, cfg daemon.Config) *daemontest.Daemon {
	tb.Helper()
	if cfg.RateLimit == 0 {
		cfg.RateLimit, cfg.RateBurst = 100000, 100000
	}
	if cfg.Limits == nil {
		cfg.Limits = map[string]int{platforms.Local: 16}
	}
	return daemontest.Start(tb, daemontest.Options{Store: open(tb), Config: cfg})
}

// reply is a raw HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// send makes one request with key as the bearer (none when empty). A
// non-empty body is sent as application/json unless headers, given as
// name, value pairs, set another Content-Type.
func send(tb testing.TB, d *daemontest.Daemon, key, method, path, body string, headers ...string) reply {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, d.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// decode reads the JSON body into v.
func (r reply) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %q: %v", r.body, err)
	}
}

// wantStatus fails unless the answer has status.
func (r reply) wantStatus(tb testing.TB, status int) {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// wantProblem checks a problem answer: status, media type, code, and that
// errors[] names every field given.
func wantProblem(tb testing.TB, r reply, status int, code string, fields ...string) api.Problem {
	tb.Helper()
	r.wantStatus(tb, status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p api.Problem
	r.decode(tb, &p)
	if p.Code != code || p.Status != status {
		tb.Fatalf("problem %d %q, want %d %q: %s", p.Status, p.Code, status, code, r.body)
	}
	for _, f := range fields {
		if !slices.ContainsFunc(p.Errors, func(fe api.FieldError) bool { return fe.Field == f }) {
			tb.Errorf("errors %+v do not name %q", p.Errors, f)
		}
	}
	return p
}

// wantError checks that a client call failed with status and code.
func wantError(tb testing.TB, err error, status int, code string) *api.Error {
	tb.Helper()
	var ae *api.Error
	if !errors.As(err, &ae) {
		tb.Fatalf("error %v, want %d %s", err, status, code)
	}
	if ae.Status != status || ae.Code != code {
		tb.Fatalf("error %d %s (%v), want %d %s", ae.Status, ae.Code, ae, status, code)
	}
	return ae
}

// eventually polls cond until it holds, failing after 30 seconds.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// fromNow is the whole second d from now, in UTC.
func fromNow(d time.Duration) *time.Time {
	t := time.Now().Add(d).UTC().Truncate(time.Second)
	return &t
}

// createBot creates a bot and fails the test on error.
func createBot(tb testing.TB, c *api.Client, req api.CreateBotRequest) *api.Bot {
	tb.Helper()
	if req.Meeting.MeetingURL == "" {
		req.Meeting.MeetingURL = meetURL
	}
	b, err := c.Bots().Create(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// scheduleBot creates a bot joining in an hour: it stays SCHEDULED.
func scheduleBot(tb testing.TB, c *api.Client, name string) *api.Bot {
	tb.Helper()
	// Best effort: a scheduled bot whatever the test's capacity.
	b := createBot(tb, c, api.CreateBotRequest{DisplayName: name, JoinAt: fromNow(time.Hour), BestEffort: true})
	if b.Status != api.StatusScheduled {
		tb.Fatalf("bot joining in an hour is %s", b.Status)
	}
	return b
}

// callBot creates a bot that stays in its call until asked to leave, and
// waits until it is there.
func callBot(tb testing.TB, c *api.Client) *api.Bot {
	tb.Helper()
	b := createBot(tb, c, api.CreateBotRequest{Metadata: map[string]string{"sandbox.call-ends-after": "1h"}})
	return botReaches(tb, c, b.ID, api.StatusInCall)
}

// endedBot creates a bot and cancels it: it is DONE at once.
func endedBot(tb testing.TB, c *api.Client) *api.Bot {
	tb.Helper()
	b := scheduleBot(tb, c, "ended")
	b, err := c.Bots().Cancel(context.Background(), b.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if b.Status != api.StatusDone {
		tb.Fatalf("cancelled bot is %s", b.Status)
	}
	return b
}

// botReaches polls a bot until it has one of the statuses.
func botReaches(tb testing.TB, c *api.Client, id int64, want ...api.BotStatus) *api.Bot {
	tb.Helper()
	var b *api.Bot
	eventually(tb, "bot to become "+fmtStatuses(want), func() bool {
		var err error
		if b, err = c.Bots().Get(context.Background(), id); err != nil {
			tb.Fatal(err)
		}
		if b.Status.Terminal() && !slices.Contains(want, b.Status) {
			tb.Fatalf("bot %d ended %s/%s (%s) instead of becoming %v", id, b.Status, b.EndReason, b.EndDetail, want)
		}
		return slices.Contains(want, b.Status)
	})
	return b
}

func fmtStatuses(s []api.BotStatus) string {
	parts := make([]string, len(s))
	for i, st := range s {
		parts[i] = string(st)
	}
	return strings.Join(parts, " or ")
}

// member creates a member with no daily limit and returns its client and
// key.
func member(tb testing.TB, d *daemontest.Daemon, email string) (*api.Client, string) {
	tb.Helper()
	unlimited := 100000
	cu, err := d.Admin.Users().Create(context.Background(), api.CreateUserRequest{Email: email, CustomDailyBotLimit: &unlimited})
	if err != nil {
		tb.Fatal(err)
	}
	return d.Client(tb, cu.Key.Secret), cu.Key.Secret
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// botURL is the path of a bot, or of one of its sub-resources.
func botURL(id int64, rest ...string) string {
	p := "/v1/bots/" + itoa(id)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}
