package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/agent"
)

// TestHeartbeatJSON checks the direct heartbeat answer against
// encoding/json, and that what it cannot write plainly falls back.
func TestHeartbeatJSON(t *testing.T) {
	t.Parallel()
	for _, hb := range []agent.Heartbeat{
		{}, {ShouldLeave: true, LogLevel: "INFO", Status: api.StatusLeaving}, {LogLevel: "TRACE", Status: api.StatusInCall},
	} {
		var want bytes.Buffer
		_ = json.NewEncoder(&want).Encode(heartbeatView(hb))
		got, ok := heartbeatJSON(hb)
		if !ok || string(got) != want.String() {
			t.Errorf("heartbeatJSON(%+v) = %q, %v; encoding/json writes %q", hb, got, ok, want.String())
		}
	}
	for _, level := range []string{`a"b`, "<x>", "é", "a\\b"} {
		if _, ok := heartbeatJSON(agent.Heartbeat{LogLevel: level}); ok {
			t.Errorf("heartbeatJSON wrote level %q plainly", level)
		}
	}
}
