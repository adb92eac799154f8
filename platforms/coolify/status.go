package coolify

import "strings"

// AppStatus is an application's status string parsed. Coolify writes it as
// state:health ("running:healthy", "exited:unhealthy", "exited"), built by
// its ContainerStatusAggregator, sometimes with a ":excluded" suffix for
// containers left out of health checks.
type AppStatus struct {
	State    string // running, starting, restarting, degraded, paused, exited, or what Coolify sent
	Health   string // healthy, unhealthy, unknown; "" when Coolify gave none
	Excluded bool
	Raw      string
}

// Application states as Coolify reports them.
const (
	StateRunning    = "running"
	StateStarting   = "starting"
	StateRestarting = "restarting"
	StateDegraded   = "degraded"
	StatePaused     = "paused"
	StateExited     = "exited"
)

// Health values as Coolify reports them.
const (
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
	HealthUnknown   = "unknown"
)

// ParseStatus parses an application status string. It accepts anything:
// an unknown state is kept as sent (lowercased), so a newer Coolify's
// vocabulary shows up in logs instead of failing the call. Coolify's
// older "running (healthy)" form is read too.
func ParseStatus(s string) AppStatus {
	out := AppStatus{Raw: s}
	norm := strings.ToLower(strings.TrimSpace(s))
	norm = strings.NewReplacer(" (", ":", ")", "", "(", ":").Replace(norm)
	parts := strings.Split(norm, ":")
	if n := len(parts); n > 1 && parts[n-1] == "excluded" {
		out.Excluded = true
		parts = parts[:n-1]
	}
	out.State = strings.TrimSpace(parts[0])
	if len(parts) > 1 {
		out.Health = strings.TrimSpace(parts[1])
	}
	return out
}

// Running reports whether the container is up, healthy or not.
func (s AppStatus) Running() bool { return s.State == StateRunning }

// Exited reports whether no container runs: the state Stop waits for before
// a slot is handed to the next bot.
func (s AppStatus) Exited() bool { return s.State == StateExited }

// String is the status as Coolify sent it.
func (s AppStatus) String() string { return s.Raw }
