package sandbox_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/sandbox"
)

// lockedBuffer is a bytes.Buffer safe to read while the bot writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fastConfig is a bot config with every timing in milliseconds.
func fastConfig(f *fakeDaemon, out *lockedBuffer) sandbox.Config {
	return sandbox.Config{
		BotID: 7, BaseURL: f.srv.URL, Token: testToken,
		StepDelay: 5 * time.Millisecond, HeartbeatInterval: 5 * time.Millisecond,
		ChatInterval: 5 * time.Millisecond, CallEndsAfter: 60 * time.Millisecond,
		LogFlushInterval: 5 * time.Millisecond,
		RetryBase:        2 * time.Millisecond, RetryMax: 10 * time.Millisecond, RetryFor: 5 * time.Second,
		Stdout: out,
	}
}

// run runs the bot to its end with a deadline and returns Run's error.
func run(t *testing.T, cfg sandbox.Config) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err := sandbox.Run(ctx, cfg)
	if ctx.Err() != nil {
		t.Fatal("the bot did not end within 10s")
	}
	return err
}

func TestRun_Normal(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.RecordingEnabled = true
	out := &lockedBuffer{}
	if err := run(t, fastConfig(f, out)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>CALL_ENDED>DONE"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
	done := f.lastStatus()
	// No S3_* settings: nowhere to upload, so no recording is reported
	// (TestRun_Recording uploads one).
	if done.Recording != "" || len(done.SpeakerTimeframes) == 0 {
		t.Errorf("DONE = %+v, want speaker timeframes and no recording", done)
	}
	if !strings.Contains(out.String(), "no S3 bucket is configured") {
		t.Errorf("the bot did not say why it reported no recording:\n%s", out)
	}
	types := f.eventTypes()
	for _, typ := range []string{"JOINING_CALL", "IN_WAITING_ROOM", "IN_CALL", "CALL_ENDED"} {
		if types[typ] != 1 {
			t.Errorf("%d %s events, want 1", types[typ], typ)
		}
	}
	if types["PARTICIPANT_JOIN"] != 2 || types["PARTICIPANT_LEAVE"] != 2 {
		t.Errorf("participant events %v, want 2 joins and 2 leaves", types)
	}
	f.mu.Lock()
	shots, beats := len(f.screenshots), f.heartbeats
	f.mu.Unlock()
	if shots != 5 || beats == 0 {
		t.Errorf("%d screenshots (want one per status: 5), %d heartbeats (want some)", shots, beats)
	}
	if !strings.Contains(out.String(), "status IN_CALL") {
		t.Errorf("stdout lacks the human log lines:\n%s", out.String())
	}
	if !slicesContain(f.logMessages(), "status DONE") {
		t.Errorf("logs shipped before exit lack the last line: %q", f.logMessages())
	}
}

func TestRun_ShouldLeave(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.leaveOn = api.StatusInCall
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.CallEndsAfter = time.Hour
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>DONE"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
}

// TestRun_LeaveByHeartbeat asks for the leave out of band, as a user does:
// the bot learns it from a heartbeat while waiting to be admitted.
func TestRun_LeaveByHeartbeat(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = sandbox.ScenarioNeverAdmitted
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.WaitingRoomTimeout = time.Hour
	errc := make(chan error, 1)
	go func() { errc <- run(t, cfg) }()
	waitFor(t, func() bool { return f.statusPath() == "JOINING_CALL>IN_WAITING_ROOM" })
	f.mu.Lock()
	f.status = api.StatusLeaving
	f.mu.Unlock()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := f.lastStatus().Status; got != api.StatusDone {
		t.Fatalf("last status %s, want DONE", got)
	}
}

func TestRun_NeverAdmitted(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "never-admitted"
	f.conf.AutomaticLeave.WaitingRoomTimeout = 40 // ms, from the bot's own config
	if err := run(t, fastConfig(f, &lockedBuffer{})); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>IN_WAITING_ROOM>FATAL"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
	if got := f.lastStatus().SubCode; got != sandbox.SubCodeWaitingRoomTimeout {
		t.Fatalf("sub code %q", got)
	}
}

func TestRun_Fatal(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "fatal:SIGN_IN_REQUIRED"
	if err := run(t, fastConfig(f, &lockedBuffer{})); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>FATAL"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
	if got := f.lastStatus().SubCode; got != "SIGN_IN_REQUIRED" {
		t.Fatalf("sub code %q", got)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	last := f.events[len(f.events)-1]
	if last.Type != "FATAL" || !strings.Contains(string(last.Data), `"sub_code":"SIGN_IN_REQUIRED"`) {
		t.Fatalf("last event %s %s", last.Type, last.Data)
	}
	if f.screenshots[len(f.screenshots)-1] != "fatal/FATAL" {
		t.Fatalf("screenshots %v", f.screenshots)
	}
}

func TestRun_CrashInCall(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "crash-in-call"
	if err := run(t, fastConfig(f, &lockedBuffer{})); !errors.Is(err, sandbox.ErrCrashed) {
		t.Fatalf("Run: %v, want ErrCrashed", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
}

func TestRun_InvalidScenario(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "dance"
	if err := run(t, fastConfig(f, &lockedBuffer{})); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := f.lastStatus(); got.Status != api.StatusFatal || got.SubCode != "SANDBOX_INVALID_CONFIG" {
		t.Fatalf("last status %+v", got)
	}
}

// TestRun_FlagOverridesMetadata checks that a flag wins over metadata.
func TestRun_FlagOverridesMetadata(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "crash-in-call"
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.Scenario = "fatal:MEETING_NOT_FOUND"
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := f.lastStatus().SubCode; got != "MEETING_NOT_FOUND" {
		t.Fatalf("sub code %q", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestRun_Recording: asked to record, the bot uploads a WAV file to the
// bucket its S3_* settings name, under a key of its own, and reports the
// key with DONE.
func TestRun_Recording(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	f := newFakeDaemon(t)
	f.conf.RecordingEnabled = true
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.S3 = srv.Env(bucket)
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v", err)
	}
	key := f.lastStatus().Recording
	if !strings.HasPrefix(key, "bots/7/recordings/") || !strings.HasSuffix(key, ".wav") {
		t.Fatalf("recording key %q", key)
	}
	obj, err := srv.Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	head := make([]byte, 12)
	if _, err := io.ReadFull(obj.Body, head); err != nil || string(head[:4]) != "RIFF" || string(head[8:]) != "WAVE" {
		t.Fatalf("the object is not a WAV file: %q, %v", head, err)
	}
	if ct := aws.ToString(obj.ContentType); ct != "audio/wav" {
		t.Errorf("content type %q", ct)
	}
}
