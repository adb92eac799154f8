package local

import (
	"maps"
	"slices"
	"strings"
)

// Secrets of the daemon that a bot must never inherit. A bot process runs
// code that talks to untrusted meetings, so it gets only what DeploySpec.Env
// grants (its own per-bot token, S3 settings when configured) and the
// harmless rest of the daemon's environment (PATH, HOME, locale, ...).
var (
	// filteredNames are dropped by exact name.
	filteredNames = []string{
		"DATABASE_URL",
		"MILO_AUTH_TOKEN", // the daemon's shared token; bots get their own
		"KUBECONFIG",
		"PGPASSWORD",
	}
	// filteredPrefixes drop whole families: meeboter's own settings, cloud
	// and cluster credentials, the daemon's blob store, and the identity
	// variables a bot must only get from its spec.
	filteredPrefixes = []string{
		"MEEBOTER_", "AWS_", "S3_", "COOLIFY_", "K8S_", "GHCR_",
		"BOT_", "POOL_SLOT_", "MILO_",
	}
	// filteredSuffixes catch credentials whatever their prefix.
	filteredSuffixes = []string{"_TOKEN", "_SECRET", "_PASSWORD", "_SECRET_KEY", "_API_KEY", "_ACCESS_KEY"}
)

// FilterEnv returns environ ("KEY=value" entries) without the daemon's
// secrets: DATABASE_URL, MILO_AUTH_TOKEN, KUBECONFIG, PGPASSWORD; every
// name starting with MEEBOTER_, AWS_, S3_, COOLIFY_, K8S_, GHCR_, BOT_,
// POOL_SLOT_ or MILO_; and every name ending in _TOKEN, _SECRET,
// _PASSWORD, _SECRET_KEY, _API_KEY or _ACCESS_KEY.
func FilterEnv(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !secretName(name) {
			out = append(out, kv)
		}
	}
	return out
}

func secretName(name string) bool {
	upper := strings.ToUpper(name)
	if slices.Contains(filteredNames, upper) {
		return true
	}
	for _, p := range filteredPrefixes {
		if strings.HasPrefix(upper, p) {
			return true
		}
	}
	for _, s := range filteredSuffixes {
		if strings.HasSuffix(upper, s) {
			return true
		}
	}
	return false
}

// BotEnv is the environment of a bot process: the filtered base
// environment, then spec (which wins over any base entry of the same
// name), in a stable order.
func BotEnv(base []string, spec map[string]string) []string {
	env := FilterEnv(base)
	out := make([]string, 0, len(env)+len(spec))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if _, override := spec[name]; !override {
			out = append(out, kv)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(spec)) {
		out = append(out, k+"="+spec[k])
	}
	return out
}
