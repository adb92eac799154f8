package cli_test

import (
	"context"
	"path/filepath"
	"strconv"
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
