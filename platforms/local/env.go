package local

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A bot process runs code that talks to untrusted meetings, so it gets an
// allowlist of the daemon's environment, never the rest: what a bot
// container would receive (DeploySpec.Env: its own token, the daemon's
// URL, S3 settings when configured), the few variables a program needs to
// run (passedNames, passedPrefixes), what the operator names in
// MEEBOTER_LOCAL_BOT_ENV (Config.PassEnv), and HOME set to a directory of
// its own. Everything else (DATABASE_URL, cloud credentials, DB_PASS,
// GITHUB_PAT, the CLI config through XDG_CONFIG_HOME) stays behind.
var (
	passedNames    = []string{"PATH", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR"}
	passedPrefixes = []string{"LC_"}
)

// daemonSecrets may not be passed by name even on the operator's say: they
// are the daemon's own credentials, never a bot's.
var daemonSecrets = []string{"DATABASE_URL", "MEEBOTER_WEBHOOK_SECRET", "MILO_AUTH_TOKEN", "COOLIFY_API_TOKEN", "PGPASSWORD", "KUBECONFIG"}

// CheckPassEnv refuses names in MEEBOTER_LOCAL_BOT_ENV that must never
// reach a bot.
func CheckPassEnv(names []string) error {
	for _, n := range names {
		if slices.Contains(daemonSecrets, strings.ToUpper(n)) || strings.HasPrefix(strings.ToUpper(n), "MEEBOTER_") {
			return fmt.Errorf("MEEBOTER_LOCAL_BOT_ENV: %s is one of the daemon's own settings, never given to bots", n)
		}
	}
	return nil
}

func passed(name string, extra []string) bool {
	if slices.Contains(passedNames, name) || slices.Contains(extra, name) {
		return true
	}
	for _, p := range passedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// BotEnv is the environment of a bot process: the allowed part of base
// (plus the names in extra), HOME, then spec, which wins over any entry of
// the same name, in a stable order.
func BotEnv(base, extra []string, home string, spec map[string]string) []string {
	out := make([]string, 0, len(spec)+8)
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if _, override := spec[name]; !override && name != "HOME" && passed(name, extra) {
			out = append(out, kv)
		}
	}
	if _, override := spec["HOME"]; !override && home != "" {
		out = append(out, "HOME="+home)
	}
	for _, k := range slices.Sorted(maps.Keys(spec)) {
		out = append(out, k+"="+spec[k])
	}
	return out
}
