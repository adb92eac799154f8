package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/sandbox"
	"github.com/meeboter/meeboter/trpc"
)

const (
	miloToken   = "milo-token"
	sharedToken = "shared-secret" // acts for every bot, like the original server's single token
	trpcBotID   = 7
)

// trpcBackend is a trpc.Backend holding one bot. It applies statuses as
// the reference server does (LEAVING only gives way to DONE or FATAL),
// records every call in order, and fails calls on demand.
type trpcBackend struct {
	mu          sync.Mutex
	conf        trpc.BotConfig
	status      api.BotStatus
	finished    bool          // getConfig answers PRECONDITION_FAILED
	leaveOn     api.BotStatus // reporting this status makes the bot LEAVING
	fail        map[string]int
	calls       []string // "getConfig", "updateStatus:IN_CALL", ...
	events      []trpc.Event
	updates     []trpc.StatusUpdate
	logs        map[string]trpc.LogEntry
	screenshots []string // "type/state"
	chat        []trpc.ChatMessage
	refused     int // tokens refused
	flushes     int
	logsAtFlush int // distinct entries received by the last logs.flush

	posts []string // paths of the tRPC POSTs, "bots.a,bots.b" for a batch
	drop  int      // connections still to cut before answering
}

// newTRPCBackend serves the backend with trpc.Handler on loopback.
func newTRPCBackend(t *testing.T) (*trpcBackend, string) {
	t.Helper()
	b := &trpcBackend{
		conf: trpc.BotConfig{
			ID: trpcBotID, UserID: "usr_1", DisplayName: "Sandbox", StartTime: time.Now(), EndTime: time.Now(),
			Meeting:        trpc.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij", Platform: "google-meet"},
			AutomaticLeave: trpc.AutomaticLeave{WaitingRoomTimeout: 600000},
		},
		status: api.StatusDeploying,
		fail:   map[string]int{},
		logs:   map[string]trpc.LogEntry{},
	}
	srv := httptest.NewServer(b.wire(trpc.Handler(b, trpc.Options{})))
	t.Cleanup(srv.Close)
	return b, srv.URL
}

// wire records the POSTed procedure paths and cuts connections on demand,
// as a daemon going away would.
func (b *trpcBackend) wire(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		cut := b.drop > 0
		if cut {
			b.drop--
		}
		if r.Method == http.MethodPost {
			b.posts = append(b.posts, strings.TrimPrefix(r.URL.Path, "/api/trpc/"))
		}
		b.mu.Unlock()
		if cut {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// record notes a call and says whether it is to fail. The caller holds mu.
func (b *trpcBackend) record(call string) error {
	b.calls = append(b.calls, call)
	name, _, _ := strings.Cut(call, ":")
	if b.fail[name] > 0 {
		b.fail[name]--
		return errors.New("database unavailable") // unclassified: a 500
	}
	return nil
}

func (b *trpcBackend) Authenticate(_ context.Context, token string) (trpc.Identity, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch token {
	case miloToken:
		return trpc.Identity{BotID: trpcBotID}, nil
	case sharedToken:
		return trpc.Identity{All: true}, nil
	}
	b.refused++
	return trpc.Identity{}, trpc.ErrUnauthorized
}

func (b *trpcBackend) BotConfig(_ context.Context, _ trpc.Identity, botID int64) (trpc.BotConfig, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("getConfig"); err != nil {
		return trpc.BotConfig{}, err
	}
	switch {
	case botID != trpcBotID:
		return trpc.BotConfig{}, fmt.Errorf("%w: Bot not found: %d", trpc.ErrNotFound, botID)
	case b.finished:
		return trpc.BotConfig{}, fmt.Errorf("%w: Bot %d has already finished (status: DONE). Container should exit.", trpc.ErrPreconditionFailed, botID)
	}
	return b.conf, nil
}

func (b *trpcBackend) SlotConfig(context.Context, trpc.Identity, string) (trpc.BotConfig, error) {
	return trpc.BotConfig{}, trpc.ErrNotFound
}

func (b *trpcBackend) Heartbeat(context.Context, trpc.Identity, int64) (trpc.Heartbeat, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("heartbeat"); err != nil {
		return trpc.Heartbeat{}, err
	}
	level := "DEBUG"
	return trpc.Heartbeat{ShouldLeave: b.status == api.StatusLeaving, LogLevel: &level}, nil
}

func (b *trpcBackend) ReportEvent(_ context.Context, _ trpc.Identity, _ int64, ev trpc.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("events.report:" + ev.Type); err != nil {
		return err
	}
	b.events = append(b.events, ev)
	return nil
}

func (b *trpcBackend) UpdateStatus(_ context.Context, _ trpc.Identity, _ int64, u trpc.StatusUpdate) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("updateStatus:" + string(u.Status)); err != nil {
		return err
	}
	b.updates = append(b.updates, u)
	if b.status != api.StatusLeaving || u.Status.Terminal() {
		b.status = u.Status
	}
	if u.Status == b.leaveOn {
		b.status = api.StatusLeaving // a user asked the bot to leave
	}
	return nil
}

func (b *trpcBackend) DequeueChat(context.Context, trpc.Identity, int64) (*trpc.ChatMessage, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("chat"); err != nil || len(b.chat) == 0 {
		return nil, err
	}
	msg := b.chat[0]
	b.chat = b.chat[1:]
	return &msg, nil
}

func (b *trpcBackend) AppendLogs(_ context.Context, _ trpc.Identity, _ int64, entries []trpc.LogEntry) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("logs.stream"); err != nil {
		return 0, err
	}
	for _, e := range entries {
		b.logs[e.ID] = e
	}
	return len(entries), nil
}

func (b *trpcBackend) FlushLogs(context.Context, trpc.Identity, int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("logs.flush"); err != nil {
		return err
	}
	b.flushes++
	b.logsAtFlush = len(b.logs)
	return nil
}

func (b *trpcBackend) SaveScreenshot(_ context.Context, _ trpc.Identity, _ int64, s trpc.ScreenshotUpload) (trpc.ScreenshotInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.record("screenshot"); err != nil {
		return trpc.ScreenshotInfo{}, err
	}
	b.screenshots = append(b.screenshots, s.Type+"/"+s.State)
	return trpc.ScreenshotInfo{Key: fmt.Sprintf("shot-%d", len(b.screenshots)), CapturedAt: time.Now(), Type: s.Type, State: s.State}, nil
}

// updatePath returns the applied statuses as "A>B>C".
func (b *trpcBackend) updatePath() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s []string
	for _, u := range b.updates {
		s = append(s, string(u.Status))
	}
	return strings.Join(s, ">")
}

// count returns how many calls were named name (before any ":").
func (b *trpcBackend) count(name string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.calls {
		if c == name || strings.HasPrefix(c, name+":") {
			n++
		}
	}
	return n
}

// statusCalls returns the status events and status updates in the order
// they arrived.
func (b *trpcBackend) statusCalls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, c := range b.calls {
		kind, code, _ := strings.Cut(c, ":")
		if kind == "updateStatus" || kind == "events.report" && api.BotStatus(code).Valid() {
			out = append(out, c)
		}
	}
	return out
}

// state returns the bot's status and the chat messages still queued.
func (b *trpcBackend) state() (api.BotStatus, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status, len(b.chat)
}

func (b *trpcBackend) snapshot() (events []trpc.Event, updates []trpc.StatusUpdate, logs []trpc.LogEntry, calls, posts []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.logs {
		logs = append(logs, e)
	}
	return slices.Clone(b.events), slices.Clone(b.updates), logs, slices.Clone(b.calls), slices.Clone(b.posts)
}

// trpcBotConfig is a tRPC sandbox bot against url with every timing in
// milliseconds. The scenario comes from the flags: the protocol carries
// no metadata.
func trpcBotConfig(url, scenario string) sandbox.Config {
	return sandbox.Config{
		BotID: trpcBotID, BaseURL: url, Token: miloToken, Protocol: sandbox.ProtocolTRPC, Scenario: scenario,
		StepDelay: 5 * time.Millisecond, HeartbeatInterval: 5 * time.Millisecond,
		ChatInterval: 5 * time.Millisecond, CallEndsAfter: 60 * time.Millisecond,
		LogFlushInterval: 5 * time.Millisecond,
		RetryBase:        2 * time.Millisecond, RetryMax: 10 * time.Millisecond, RetryFor: 5 * time.Second,
		Stdout: &lockedBuffer{},
	}
}

func TestTRPC_Normal(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	b.conf.RecordingEnabled = true
	b.chat = []trpc.ChatMessage{{MessageText: "hello sandbox", UserID: "usr_1"}}
	if err := run(t, trpcBotConfig(url, "")); err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []string{
		"events.report:JOINING_CALL", "updateStatus:JOINING_CALL",
		"events.report:IN_WAITING_ROOM", "updateStatus:IN_WAITING_ROOM",
		"events.report:IN_CALL", "updateStatus:IN_CALL",
		"events.report:CALL_ENDED", "updateStatus:CALL_ENDED",
		"updateStatus:DONE",
	}
	if got := b.statusCalls(); !slices.Equal(got, want) {
		t.Fatalf("status calls\n%v\nwant\n%v", got, want)
	}
	events, updates, logs, _, posts := b.snapshot()
	checkDone(t, updates[len(updates)-1])
	checkParticipants(t, events, posts)
	checkLogs(t, logs)
	checkFlushLast(t, b)
	if _, chatLeft := b.state(); b.count("heartbeat") == 0 || b.count("chat") == 0 || chatLeft != 0 {
		t.Errorf("heartbeats %d, chat polls %d, chat left %d", b.count("heartbeat"), b.count("chat"), chatLeft)
	}
	if n := b.count("screenshot"); n != 5 {
		t.Errorf("%d screenshots, want one per status", n)
	}
}

// checkDone wants DONE with a recording key and the speaker timeframes.
func checkDone(t *testing.T, done trpc.StatusUpdate) {
	t.Helper()
	// No S3_* settings: the bot uploads nothing and reports no key.
	if done.Recording != nil || len(done.SpeakerTimeframes) != 2 {
		t.Errorf("DONE = %+v, want two speaker timeframes and no recording", done)
	}
}

// checkParticipants wants each participant's join and leave, sent as one
// batched POST per pair, naming the participant.
func checkParticipants(t *testing.T, events []trpc.Event, posts []string) {
	t.Helper()
	byType := map[string]int{}
	for _, e := range events {
		byType[e.Type]++
		if strings.HasPrefix(e.Type, "PARTICIPANT_") && (e.Data == nil || e.Data.Description == nil || !strings.Contains(*e.Data.Description, "Lovelace") && !strings.Contains(*e.Data.Description, "Hopper")) {
			t.Errorf("participant event without its participant: %+v", e)
		}
	}
	if byType["PARTICIPANT_JOIN"] != 2 || byType["PARTICIPANT_LEAVE"] != 2 || byType["DONE"] != 0 {
		t.Errorf("events %v, want 2 joins, 2 leaves, no DONE event", byType)
	}
	if n := countOf(posts, "bots.events.report,bots.events.report"); n != 2 {
		t.Errorf("%d batched event POSTs, want 2 (posts: %v)", n, posts)
	}
}

// checkLogs wants the bot's lines shaped as the bots' LogEntry, labelled
// with the state they were written in.
func checkLogs(t *testing.T, logs []trpc.LogEntry) {
	t.Helper()
	var sawReply, sawJoinInCall bool
	for _, e := range logs {
		if e.ID == "" || e.BotID != trpcBotID || e.Timestamp.IsZero() || e.Level == "" || e.State == "" || e.Location == "" || !strings.HasPrefix(e.Elapsed, "+") {
			t.Errorf("malformed log entry %+v", e)
		}
		sawReply = sawReply || strings.Contains(e.Message, `replies: got "hello sandbox"`)
		sawJoinInCall = sawJoinInCall || e.Message == "PARTICIPANT_JOIN" && e.State == "IN_CALL"
	}
	if !sawReply || !sawJoinInCall {
		t.Errorf("logs (%d) lack the chat reply (%v) or a join logged IN_CALL (%v)", len(logs), sawReply, sawJoinInCall)
	}
}

// checkFlushLast wants one logs.flush, sent once every entry had been
// streamed. It does not ask for the flush to be the last call to arrive: a
// stream the engine abandoned when it stopped its loop (and whose entries
// it then sent again) may still reach the server afterwards.
func checkFlushLast(t *testing.T, b *trpcBackend) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.flushes != 1 || b.logsAtFlush == 0 || b.logsAtFlush != len(b.logs) {
		t.Errorf("%d flushes with %d of %d entries received; calls: %v", b.flushes, b.logsAtFlush, len(b.logs), b.calls)
	}
}

func countOf(list []string, v string) int {
	n := 0
	for _, s := range list {
		if s == v {
			n++
		}
	}
	return n
}

// TestTRPC_ShouldLeave asks the bot to leave once it reports IN_CALL. The
// tRPC status answer says nothing, so only the heartbeat's shouldLeave can
// end a call that would otherwise last a minute.
func TestTRPC_ShouldLeave(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	b.leaveOn = api.StatusInCall
	cfg := trpcBotConfig(url, "")
	cfg.CallEndsAfter = time.Minute
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := b.updatePath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>DONE"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
	if status, _ := b.state(); status != api.StatusDone || b.count("logs.flush") != 1 {
		t.Errorf("final status %s, %d flushes", status, b.count("logs.flush"))
	}
}

// TestTRPC_FinishedBotExitsQuietly starts a bot the server calls finished,
// as a container started again after DONE would be.
func TestTRPC_FinishedBotExitsQuietly(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	b.finished = true
	if err := run(t, trpcBotConfig(url, "")); err != nil {
		t.Fatalf("Run: %v, want a quiet exit", err)
	}
	if b.count("getConfig") != 1 || b.count("updateStatus") != 0 || b.count("events.report") != 0 || b.count("heartbeat") != 0 {
		_, _, _, calls, _ := b.snapshot()
		t.Errorf("calls %v, want one getConfig and no report", calls)
	}
	if b.count("logs.flush") != 1 {
		t.Errorf("%d logs.flush, want 1 at exit", b.count("logs.flush"))
	}
}

func TestTRPC_RefusedTokenExitsQuietly(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	cfg := trpcBotConfig(url, "")
	cfg.Token = "stolen"
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v, want a quiet exit", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.calls) != 0 || b.refused == 0 {
		t.Errorf("calls %v, %d refusals; want nothing past the token check", b.calls, b.refused)
	}
}

// TestTRPC_Fatal wants FATAL's sub code and description in its event, as
// the bots send them, followed by the status.
func TestTRPC_Fatal(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	if err := run(t, trpcBotConfig(url, "fatal:CAPTCHA_DETECTED")); err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []string{"events.report:JOINING_CALL", "updateStatus:JOINING_CALL", "events.report:FATAL", "updateStatus:FATAL"}
	if got := b.statusCalls(); !slices.Equal(got, want) {
		t.Fatalf("status calls %v, want %v", got, want)
	}
	events, _, _, _, _ := b.snapshot()
	d := events[len(events)-1].Data
	if d == nil || d.SubCode == nil || *d.SubCode != "CAPTCHA_DETECTED" || d.Description == nil || !strings.Contains(*d.Description, "CAPTCHA_DETECTED") {
		t.Errorf("FATAL event data %+v", d)
	}
}

// TestTRPC_Retries cuts the first connections and fails calls of every
// kind with a 500: the bot must ride it out and finish normally.
func TestTRPC_Retries(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	b.drop = 3
	for _, name := range []string{"getConfig", "heartbeat", "updateStatus", "events.report", "logs.stream", "screenshot", "logs.flush"} {
		b.fail[name] = 2
	}
	if err := run(t, trpcBotConfig(url, "")); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := b.updatePath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>CALL_ENDED>DONE"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
}

// TestTRPCTransport_Errors checks the error mapping the engine relies on.
func TestTRPCTransport_Errors(t *testing.T) {
	t.Parallel()
	b, url := newTRPCBackend(t)
	ctx := t.Context()
	b.finished = true
	if _, err := sandbox.NewTRPCTransport(url+"/", miloToken, trpcBotID, nil).Config(ctx); !errors.Is(err, sandbox.ErrGone) {
		t.Errorf("finished bot: %v, want ErrGone", err)
	}
	if _, err := sandbox.NewTRPCTransport(url, "stolen", trpcBotID, nil).Heartbeat(ctx); !errors.Is(err, sandbox.ErrUnauthorized) {
		t.Errorf("refused token: %v, want ErrUnauthorized", err)
	}
	if err := sandbox.NewTRPCTransport(url, miloToken, 8, nil).(sandbox.LogFlusher).FlushLogs(ctx); !errors.Is(err, sandbox.ErrUnauthorized) {
		t.Errorf("another bot's token: %v, want ErrUnauthorized", err)
	}
	_, err := sandbox.NewTRPCTransport(url, sharedToken, 8, nil).Config(ctx)
	var ae *api.Error
	if !errors.Is(err, api.ErrNotFound) || !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("unknown bot: %v, want a 404 api.Error", err)
	}
	b.fail["heartbeat"] = 1
	if _, err := sandbox.NewTRPCTransport(url, miloToken, trpcBotID, nil).Heartbeat(ctx); !errors.As(err, &ae) || ae.Status != http.StatusInternalServerError {
		t.Errorf("server failure: %v, want a 500 api.Error", err)
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	if _, err := sandbox.NewTRPCTransport(srv.URL, miloToken, trpcBotID, nil).Heartbeat(ctx); !errors.Is(err, api.ErrUnreachable) {
		t.Errorf("closed server: %v, want ErrUnreachable", err)
	}
}
