package sandbox

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Scenario names (the value of sandbox.scenario or --scenario).
const (
	ScenarioNormal            = "normal"
	ScenarioNeverAdmitted     = "never-admitted"
	ScenarioCrashInCall       = "crash-in-call"
	ScenarioStopsHeartbeating = "stops-heartbeating"
	// ScenarioFatal is written "fatal:<SUB_CODE>".
	ScenarioFatal = "fatal"
)

// Metadata keys a bot's creator sets to steer its sandbox bot.
const (
	MetaScenario           = "sandbox.scenario"
	MetaCallEndsAfter      = "sandbox.call-ends-after"
	MetaStepDelay          = "sandbox.step-delay"
	MetaHeartbeatInterval  = "sandbox.heartbeat-interval"
	MetaChatInterval       = "sandbox.chat-interval"
	MetaWaitingRoomTimeout = "sandbox.waiting-room-timeout"
)

// SubCodeWaitingRoomTimeout is the FATAL sub code of a bot never admitted.
const SubCodeWaitingRoomTimeout = "WAITING_ROOM_TIMEOUT"

// plan is what one bot run does, resolved from flags, metadata and
// defaults in that order.
type plan struct {
	scenario      string
	subCode       string // for ScenarioFatal
	callEndsAfter time.Duration
	stepDelay     time.Duration
	heartbeat     time.Duration
	chat          time.Duration
	waitingRoom   time.Duration
}

// resolvePlan merges the flags in c with the bot's metadata. An invalid
// value is an error, which the bot reports as FATAL rather than guessing.
func resolvePlan(c Config, bot api.AgentConfig) (plan, error) {
	meta := bot.Metadata
	var p plan
	var err error
	scenario := cmp.Or(c.Scenario, meta[MetaScenario], ScenarioNormal)
	if p.scenario, p.subCode, p.callEndsAfter, err = parseScenario(scenario); err != nil {
		return p, err
	}
	durations := []struct {
		dst  *time.Duration
		flag time.Duration
		key  string
		def  time.Duration
	}{
		{&p.callEndsAfter, cmp.Or(c.CallEndsAfter, p.callEndsAfter), MetaCallEndsAfter, 5 * time.Second},
		{&p.stepDelay, c.StepDelay, MetaStepDelay, time.Second},
		{&p.heartbeat, c.HeartbeatInterval, MetaHeartbeatInterval, 2 * time.Second},
		{&p.chat, c.ChatInterval, MetaChatInterval, 2 * time.Second},
		{&p.waitingRoom, c.WaitingRoomTimeout, MetaWaitingRoomTimeout, waitingRoomDefault(bot)},
	}
	for _, d := range durations {
		if *d.dst, err = pickDuration(d.flag, meta[d.key], d.key, d.def); err != nil {
			return p, err
		}
	}
	return p, nil
}

// parseScenario splits "fatal:<SUB_CODE>" and "call-ends-after=<duration>"
// into their parts.
func parseScenario(s string) (name, subCode string, callEndsAfter time.Duration, err error) {
	s = strings.TrimSpace(s)
	switch {
	case s == ScenarioNormal, s == ScenarioNeverAdmitted, s == ScenarioCrashInCall, s == ScenarioStopsHeartbeating:
		return s, "", 0, nil
	case strings.HasPrefix(s, ScenarioFatal+":"):
		code := strings.TrimPrefix(s, ScenarioFatal+":")
		if code == "" {
			return "", "", 0, fmt.Errorf("scenario %q needs a sub code, as in fatal:SIGN_IN_REQUIRED", s)
		}
		return ScenarioFatal, code, 0, nil
	case strings.HasPrefix(s, "call-ends-after="):
		d, err := time.ParseDuration(strings.TrimPrefix(s, "call-ends-after="))
		if err != nil || d <= 0 {
			return "", "", 0, fmt.Errorf("scenario %q: want call-ends-after=<positive duration>", s)
		}
		return ScenarioNormal, "", d, nil
	}
	return "", "", 0, fmt.Errorf("unknown scenario %q (want normal, never-admitted, crash-in-call, stops-heartbeating, fatal:<SUB_CODE> or call-ends-after=<duration>)", s)
}

func pickDuration(flag time.Duration, meta, key string, def time.Duration) (time.Duration, error) {
	if flag > 0 {
		return flag, nil
	}
	if meta == "" {
		return def, nil
	}
	d, err := time.ParseDuration(meta)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("metadata %s=%q: want a positive duration such as 1500ms or 2s", key, meta)
	}
	return d, nil
}

// waitingRoomDefault is the bot's own automaticLeave timeout, as the real
// bots use it; 10 minutes (the daemon's floor) when unset.
func waitingRoomDefault(bot api.AgentConfig) time.Duration {
	if ms := bot.AutomaticLeave.WaitingRoomTimeout; ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 10 * time.Minute
}
