package cli

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestRoot_BadUsage(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"UnknownCommand":    {"frobnicate"},
		"UnknownSubcommand": {"bot", "frobnicate"},
		"UnknownFlag":       {"bot", "list", "--bogus"},
		"MissingArg":        {"bot", "get"},
		"TooManyArgs":       {"bot", "get", "1", "2"},
		"BadID":             {"bot", "get", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			assertEqual(t, "exit", b.run(t, args...), ExitUsage)
			assertEqual(t, "stdout", b.stdout.String(), "")
			// One usage line and a pointer to --help, not the whole help.
			stderr := b.stderr.String()
			if !strings.HasPrefix(stderr, "error: ") || !strings.Contains(stderr, "\nUsage: meeboter ") ||
				!strings.Contains(stderr, " --help' for more.") || strings.Contains(stderr, "Flags:") {
				t.Errorf("stderr:\n%s", stderr)
			}
		})
	}
}

func TestRoot_Suggests(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "bot", "lst"), ExitUsage)
	if !strings.Contains(b.stderr.String(), `or list?`) {
		t.Errorf("stderr:\n%s", b.stderr)
	}
}

func TestRoot_HelpExitsZero(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "bot"), ExitOK)
	if !strings.Contains(b.stdout.String(), "Available Commands:") {
		t.Errorf("stdout:\n%s", b.stdout)
	}
}

func TestRoot_Unreachable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	assertEqual(t, "exit", b.run(t, "bot", "list", "--addr", addr), ExitUnreachable)
	assertEqual(t, "stderr", b.stderr.String(), "error: daemon unavailable: nothing answers at "+addr+" (connection refused)\n"+
		"hint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one\n")
}

func TestRoot_BadIDShortUsage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "bot", "get", "abc"), ExitUsage)
	assertEqual(t, "stderr", b.stderr.String(), "error: invalid bot ID \"abc\": want a positive number\n"+
		"Usage: meeboter bot get ID [flags]\nRun 'meeboter bot get --help' for more.\n")
}

func TestRoot_UnavailableAfterRetries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.daemon.handle("GET /v1/pool", problemReply(http.StatusServiceUnavailable, api.CodeUnavailable, "starting up"))
	assertEqual(t, "exit", b.run(t, "pool", "status"), ExitUnreachable)
	assertEqual(t, "attempts", s.hits.Load(), int32(fastRetry.Max+1))
	assertEqual(t, "stderr", b.stderr.String(), "error: daemon unavailable: starting up\n"+
		"hint: the daemon is up but cannot serve requests (its database may be down); try again later\n")
}

func TestPoolStatus_Terminal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.f.IO.SetStdoutTTY(true)
	b.daemon.handle("GET /v1/pool", reply(http.StatusOK, api.PoolStatus{Platforms: []api.PlatformCapacity{
		{Name: "local", Used: 2, Free: 3, Limit: 5}, {Name: "k8s", Used: 10, Free: 0, Limit: 10},
		{Name: "aws", Used: 99, Free: 1, Limit: 100}}}))
	assertEqual(t, "exit", b.run(t, "pool", "status"), ExitOK)
	// A platform with room left never shows a full bar.
	want := "PLATFORM  USED  FREE  LIMIT  \n" +
		"local     2     3     5      ████░░░░░░\n" +
		"k8s       10    0     10     ██████████\n" +
		"aws       99    1     100    █████████░\n"
	assertEqual(t, "stdout", b.stdout.String(), want)
}
