package sandbox

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestParseScenario(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, name, sub string
		ends          time.Duration
		wantErr       bool
	}{
		{in: "normal", name: ScenarioNormal},
		{in: " crash-in-call ", name: ScenarioCrashInCall},
		{in: "fatal:SIGN_IN_REQUIRED", name: ScenarioFatal, sub: "SIGN_IN_REQUIRED"},
		{in: "call-ends-after=30s", name: ScenarioNormal, ends: 30 * time.Second},
		{in: "fatal:", wantErr: true},
		{in: "call-ends-after=soon", wantErr: true},
		{in: "call-ends-after=-1s", wantErr: true},
		{in: "dance", wantErr: true},
	}
	for _, tt := range tests {
		name, sub, ends, err := parseScenario(tt.in)
		if (err != nil) != tt.wantErr || name != tt.name || sub != tt.sub || ends != tt.ends {
			t.Errorf("parseScenario(%q) = %q, %q, %v, %v", tt.in, name, sub, ends, err)
		}
	}
}

func TestResolvePlan_Precedence(t *testing.T) {
	t.Parallel()
	bot := api.AgentConfig{
		Metadata: map[string]string{
			MetaScenario: "call-ends-after=9s", MetaStepDelay: "250ms", MetaHeartbeatInterval: "3s",
		},
		AutomaticLeave: api.AutomaticLeave{WaitingRoomTimeout: 120000},
	}
	p, err := resolvePlan(Config{HeartbeatInterval: time.Second}, bot)
	if err != nil {
		t.Fatal(err)
	}
	want := plan{scenario: ScenarioNormal, callEndsAfter: 9 * time.Second, stepDelay: 250 * time.Millisecond,
		heartbeat: time.Second, chat: 2 * time.Second, waitingRoom: 2 * time.Minute}
	if p != want {
		t.Fatalf("plan %+v, want %+v", p, want)
	}
	bot.Metadata[MetaCallEndsAfter] = "1s" // the scenario's own duration wins
	bot.Metadata[MetaChatInterval] = "often"
	if _, err := resolvePlan(Config{}, bot); err == nil {
		t.Fatal("a malformed duration was accepted")
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"TRACE", "debug", "Info", "WARN", "ERROR", "FATAL"} {
		l, ok := parseLevel(name)
		if !ok {
			t.Fatalf("parseLevel(%q) failed", name)
		}
		if got := levelName(l); !equalFold(got, name) {
			t.Errorf("levelName(parseLevel(%q)) = %q", name, got)
		}
	}
	if _, ok := parseLevel("LOUD"); ok {
		t.Error("unknown level accepted")
	}
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if a[i]|0x20 != b[i]|0x20 {
			return false
		}
	}
	return true
}
