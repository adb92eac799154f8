package daemon

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
)

// ScheduleConfig holds the routing and scheduling settings.
type ScheduleConfig struct {
	// Policy orders the platforms with room for a bot (PLATFORM_POLICY:
	// priority, the default, cheapest or fastest).
	Policy string
	// Costs is what a bot-hour costs per platform (LOCAL_COST_PER_HOUR,
	// K8S_COST_PER_HOUR, AWS_COST_PER_HOUR, COOLIFY_COST_PER_HOUR), for
	// the cheapest policy and usage reports.
	Costs map[string]float64
	// WarmAhead is how far ahead the Coolify warm pool looks at
	// reservations (MEEBOTER_WARM_AHEAD, default 10m).
	WarmAhead time.Duration
	// WarmBudgetPerHour caps what idle warm slots may cost per hour
	// (MEEBOTER_WARM_BUDGET_PER_HOUR; 0: no cap).
	WarmBudgetPerHour float64
}

// DefaultCosts are the original's rates per bot-hour: 0.5 vCPU and 1 GB
// of Fargate Spot for AWS and Kubernetes, its flat rate for Coolify, and
// nothing for this machine's own processes.
var DefaultCosts = map[string]float64{
	platforms.Local: 0, platforms.Kubernetes: 0.006915, platforms.AWS: 0.006915, platforms.Coolify: 0.002,
}

var costVars = map[string]string{
	platforms.Local:      "LOCAL_COST_PER_HOUR",
	platforms.Kubernetes: "K8S_COST_PER_HOUR",
	platforms.AWS:        "AWS_COST_PER_HOUR",
	platforms.Coolify:    "COOLIFY_COST_PER_HOUR",
}

// scheduleFromEnv reads the routing and scheduling settings.
func (c *Config) scheduleFromEnv(getenv func(string) string) error {
	c.Schedule.Policy = getenv("PLATFORM_POLICY")
	c.Schedule.Costs = map[string]float64{}
	for name, key := range costVars {
		v := getenv(key)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return fmt.Errorf("%s: want a cost of zero or more, got %q", key, v)
		}
		c.Schedule.Costs[name] = f
	}
	var err error
	if c.Schedule.WarmAhead, err = parseDuration(getenv("MEEBOTER_WARM_AHEAD"), false); err != nil {
		return fmt.Errorf("MEEBOTER_WARM_AHEAD: %w", err)
	}
	if v := getenv("MEEBOTER_WARM_BUDGET_PER_HOUR"); v != "" {
		if c.Schedule.WarmBudgetPerHour, err = strconv.ParseFloat(v, 64); err != nil || c.Schedule.WarmBudgetPerHour < 0 {
			return fmt.Errorf("MEEBOTER_WARM_BUDGET_PER_HOUR: want a cost of zero or more, got %q", v)
		}
	}
	return nil
}

// withDefaults fills the unset settings and checks the policy.
func (sc ScheduleConfig) withDefaults() (ScheduleConfig, error) {
	sc.Policy = cmp.Or(sc.Policy, api.PolicyPriority)
	switch sc.Policy {
	case api.PolicyPriority, api.PolicyCheapest, api.PolicyFastest:
	default:
		return sc, fmt.Errorf("PLATFORM_POLICY: unknown policy %q (want priority, cheapest or fastest)", sc.Policy)
	}
	costs := map[string]float64{}
	for name, cost := range DefaultCosts {
		costs[name] = cost
	}
	for name, cost := range sc.Costs {
		costs[name] = cost
	}
	sc.Costs = costs
	sc.WarmAhead = cmp.Or(sc.WarmAhead, 10*time.Minute)
	return sc, nil
}
