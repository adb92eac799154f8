package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/meeboter/meeboter/api"
)

// cmdWaitStatus polls a bot until it reaches a status:
// `waitstatus ID STATUS [timeout]`, against $MEEBOTER_ADDR with the key the
// daemon wrote to the script's config file.
func cmdWaitStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: waitstatus ID STATUS [timeout]")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	ts.Check(err)
	timeout := 30 * time.Second
	if len(args) == 3 {
		timeout, err = time.ParseDuration(args[2])
		ts.Check(err)
	}
	fc, err := api.ReadConfigFile(filepath.Join(ts.Getenv("XDG_CONFIG_HOME"), "meeboter", "config.yaml"))
	ts.Check(err)
	c, err := api.NewClient(api.Config{Address: ts.Getenv("MEEBOTER_ADDR"), APIKey: fc.APIKey})
	ts.Check(err)
	deadline := time.Now().Add(timeout)
	for {
		b, err := c.Bots().Get(context.Background(), id)
		if err == nil && string(b.Status) == args[1] {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("bot %d is not %s after %s (last: %v, %v)", id, args[1], timeout, b, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cmdLogsOnce checks what `bot logs ID -f -o json` printed (FOLLOWED, one
// entry per line) against the stored log read after it (FULL, an api.List
// from `bot logs ID -o json`): `logsonce FOLLOWED FULL`. Every followed
// line is stored, none was printed twice, and every stored line up to the
// last one the follower printed is among them. Lines stored after that
// (sent as the bot process exited, after the follower's last read) may be
// missing; stored ids only grow, so they are exactly those with higher ids.
func cmdLogsOnce(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: logsonce FOLLOWED FULL")
	}
	var full api.List[api.LogEntry]
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[1])), &full))
	stored := map[string]api.LogEntry{}
	for _, e := range full.Items {
		stored[e.EntryID] = e
	}
	printed := map[string]bool{}
	var last int64
	for _, line := range strings.Split(strings.TrimSpace(ts.ReadFile(args[0])), "\n") {
		var e api.LogEntry
		ts.Check(json.Unmarshal([]byte(line), &e))
		s, ok := stored[e.EntryID]
		if !ok {
			ts.Fatalf("followed line %q (entry %q) is not in the stored log", e.Message, e.EntryID)
		}
		if printed[e.EntryID] {
			ts.Fatalf("followed line %q (entry %q) was printed twice", e.Message, e.EntryID)
		}
		printed[e.EntryID] = true
		last = max(last, s.ID)
	}
	missing := 0
	for _, e := range full.Items {
		if !printed[e.EntryID] && e.ID <= last {
			ts.Logf("missing line %d %q", e.ID, e.Message)
			missing++
		}
	}
	if missing > 0 {
		ts.Fatalf("%d stored lines up to id %d were never printed", missing, last)
	}
	ts.Logf("%d lines followed, %d stored", len(printed), len(full.Items))
}

// cmdEnvFile sets a variable to a file's first line: `envfile NAME FILE`,
// for a secret a command printed (an API key) that later commands need.
func cmdEnvFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: envfile NAME FILE")
	}
	line, _, _ := strings.Cut(ts.ReadFile(args[1]), "\n")
	ts.Setenv(args[0], strings.TrimSpace(line))
}
