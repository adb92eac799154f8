package cli

import (
	"context"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon"
)

// TestServe_Config checks how serve's flags, the environment and the
// terminal make the daemon's configuration.
func TestServe_Config(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		stderrTTY bool
		wantCode  ExitCode
		check     func(t *testing.T, cfg daemon.Config)
	}{
		{"TextOnATerminal", nil, nil, true, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "log format", cfg.LogFormat, "text")
		}},
		{"JSONWhenPiped", nil, nil, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "log format", cfg.LogFormat, "json")
		}},
		{"EnvOverridesTerminal", nil, map[string]string{"MEEBOTER_LOG_FORMAT": "json"}, true, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "log format", cfg.LogFormat, "json")
		}},
		{"FlagOverridesEnv", []string{"--log-format", "text"}, map[string]string{"MEEBOTER_LOG_FORMAT": "json"}, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "log format", cfg.LogFormat, "text")
		}},
		{"BadLogFormat", []string{"--log-format", "xml"}, nil, false, ExitUsage, nil},
		{"Listen", []string{"--listen", "127.0.0.1:4000"}, map[string]string{"MEEBOTER_LISTEN": "127.0.0.1:5000"}, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "addr", cfg.Addr, "127.0.0.1:4000")
		}},
		{"AddrIsAnAlias", []string{"--addr", "127.0.0.1:4001"}, nil, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "addr", cfg.Addr, "127.0.0.1:4001")
		}},
		{"ListenFromEnv", nil, map[string]string{"MEEBOTER_LISTEN": "127.0.0.1:5000"}, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "addr", cfg.Addr, "127.0.0.1:5000")
		}},
		{"NoDrainByDefault", nil, nil, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "drain", cfg.Drain, false)
		}},
		{"Drain", []string{"--drain", "--drain-timeout", "30m"}, nil, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "drain", cfg.Drain, true)
			assertEqual(t, "drain timeout", cfg.DrainTimeout, 30*time.Minute)
		}},
		{"DrainDefaultTimeout", []string{"--drain"}, nil, false, ExitOK, func(t *testing.T, cfg daemon.Config) {
			assertEqual(t, "drain timeout", cfg.DrainTimeout, defaultDrainTimeout)
		}},
		{"DrainTimeoutAlone", []string{"--drain-timeout", "1m"}, nil, false, ExitUsage, nil},
		{"DrainTimeoutZero", []string{"--drain", "--drain-timeout", "0s"}, nil, false, ExitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			for k, v := range tt.env {
				b.env[k] = v
			}
			b.f.IO.SetStderrTTY(tt.stderrTTY)
			var got daemon.Config
			cmd := newCmdServeRun(b.f, func(_ context.Context, opts *serveOptions) error {
				cfg, err := serveConfig(opts)
				got = cfg
				return err
			})
			assertEqual(t, "exit", runCommand(t, cmd, tt.args...), tt.wantCode)
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}
