package cli_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/meeboter/meeboter/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary stand in for the meeboter binary, so the
// scripts run the real command line in-process, with no build step.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"meeboter": func() { os.Exit(int(cli.Main())) },
	})
}

// TestScripts runs testdata/script/*.txtar. Each script gets free ports,
// $PORT and $METRICS_PORT, and its own HOME and XDG directories under $WORK, so the config file a
// daemon writes on first start stays inside the test.
func TestScripts(t *testing.T) {
	t.Parallel()
	startScriptS3(t)
	testscript.Run(t, testscript.Params{
		Dir:   filepath.Join("testdata", "script"),
		Setup: setupScript,
		Condition: func(cond string) (bool, error) {
			// [daemon] scripts start `meeboter serve`; -short skips them.
			// [s3] scripts get a bucket on a real S3 server.
			switch cond {
			case "daemon":
				return !testing.Short(), nil
			case "s3":
				return scriptS3 != nil, nil
			}
			return false, errors.New("unknown condition " + cond)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"waitfor":    cmdWaitFor,
			"exitcode":   cmdExitCode,
			"waitstatus": cmdWaitStatus,
			"logsonce":   cmdLogsOnce,
			"envfile":    cmdEnvFile,
			"s3chunks":   cmdS3Chunks,
			"logrows":    cmdLogRows,
		},
	})
}

func setupScript(env *testscript.Env) error {
	for _, name := range []string{"PORT", "METRICS_PORT"} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		env.Setenv(name, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		ln.Close()
	}
	env.Setenv("HOME", env.WorkDir)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
	env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
	env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".local", "state"))
	env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
	env.Setenv("NO_COLOR", "1")
	return setupS3(env)
}

// cmdWaitFor polls a URL until it answers 2xx: `waitfor URL [timeout]`.
// A daemon started with `exec meeboter serve ... &` is ready after it.
func cmdWaitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitfor URL [timeout]")
	}
	timeout := 30 * time.Second
	if len(args) == 2 {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		timeout = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return
			}
		}
		select {
		case <-ctx.Done():
			ts.Fatalf("%s not ready after %s (last error: %v)", args[0], timeout, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cmdExitCode runs a program and checks its exact exit status:
// `exitcode 3 meeboter bot get 999`. stdout and stderr are kept for the
// usual stdout/stderr assertions.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("run %s: %v", args[1], err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
