package openapigen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
)

const probeMeeting = `{"meetingUrl":"https://meet.google.com/abc-defg-hij"}`

// probe is a request whose body is valid, and where in it a type's
// members sit (prefix), so a limit's first refused value can be put there.
type probe struct {
	method, path, body, prefix string
	bot                        bool // sent with a bot's token
}

func probes(scheduled, tmpl int64) map[string]probe {
	now := time.Now().UTC().Format(time.RFC3339)
	bot := fmt.Sprintf("/v1/bots/%d", scheduled)
	return map[string]probe{
		"CreateBotRequest":     {"POST", "/v1/bots", `{"meeting":` + probeMeeting + `}`, "", false},
		"Meeting":              {"POST", "/v1/bots", `{"meeting":` + probeMeeting + `}`, "meeting.", false},
		"AutomaticLeave":       {"POST", "/v1/bots", `{"meeting":` + probeMeeting + `,"automaticLeave":{"waitingRoomTimeout":1,"noOneJoinedTimeout":1,"everyoneLeftTimeout":1,"inactivityTimeout":1}}`, "automaticLeave.", false},
		"UpdateBotRequest":     {"PATCH", bot, `{}`, "", false},
		"BulkRequest":          {"POST", "/v1/bots/leave", `{"botIds":[1]}`, "", false},
		"SendChatRequest":      {"POST", bot + "/chat", `{"text":"hi"}`, "", false},
		"BroadcastChatRequest": {"POST", "/v1/chat/messages", `{"botIds":[1],"text":"hi"}`, "", false},
		"TemplateRequest":      {"POST", "/v1/chat/templates", `{"name":"t","messages":["a"]}`, "", false},
		"SendTemplateRequest":  {"POST", fmt.Sprintf("/v1/chat/templates/%d/send", tmpl), `{"botIds":[1]}`, "", false},
		"CreateKeyRequest":     {"POST", "/v1/keys", `{"name":"k"}`, "", false},
		"CreateUserRequest":    {"POST", "/v1/users", `{"email":"probe@example.com"}`, "", false},
		"PlanLimits":           {"POST", "/v1/plans", `{"name":"probe"}`, "", false},
		"UpdateUserRequest":    {"PATCH", "/v1/users/1", `{}`, "", false},
		"AgentStatusRequest":   {"POST", "/v1/agent/status", `{"status":"JOINING_CALL"}`, "", true},
		"AgentEventsRequest":   {"POST", "/v1/agent/events", `{"events":[]}`, "", true},
		"AgentEvent":           {"POST", "/v1/agent/events", `{"events":[{"type":"NOTE","time":"` + now + `"}]}`, "events[0].", true},
		"AgentLogsRequest":     {"POST", "/v1/agent/logs", `{"entries":[]}`, "", true},
		"AgentLogEntry":        {"POST", "/v1/agent/logs", `{"entries":[{"id":"1","level":"INFO","time":"` + now + `","message":"m"}]}`, "entries[0].", true},
	}
}

// elements are valid array elements of the members whose probe body
// starts them empty.
func element(member string) any {
	now := time.Now().UTC().Format(time.RFC3339)
	switch member {
	case "events":
		return map[string]any{"type": "NOTE", "time": now}
	case "entries":
		return map[string]any{"id": "1", "level": "INFO", "time": now, "message": "m"}
	case "messages":
		return "a"
	}
	return 1
}

// refused is the first value a limit refuses, for a member of the kind
// the probe body shows; ok is false for keywords nothing can probe.
func refused(keyword string, limit any, member string) (any, bool) {
	n := 0
	if f, isNum := limit.(int); isNum {
		n = f
	}
	switch keyword {
	case "maxItems", "minItems":
		size := n + 1
		if keyword == "minItems" {
			size = n - 1
		}
		items := make([]any, size)
		for i := range items {
			items[i] = element(member)
		}
		return items, true
	case "items":
		return []any{strings.Repeat("x", limit.(obj)["maxLength"].(int)+1)}, true
	case "additionalProperties":
		return map[string]string{"k": strings.Repeat("x", limit.(obj)["maxLength"].(int)+1)}, true
	case "propertyNames":
		return map[string]string{"bad key!": "v"}, true
	case "maxLength":
		if member == "meetingUrl" || strings.HasSuffix(member, "Url") {
			return "https://example.com/" + strings.Repeat("x", n), true
		}
		return strings.Repeat("x", n+1), true
	case "minLength":
		return strings.Repeat("x", n-1), true
	case "maximum":
		return n + 1, true
	case "minimum":
		return n - 1, true
	case "pattern":
		return "not upper", true
	case "maxProperties":
		m := map[string]string{}
		for i := range n + 1 {
			m[fmt.Sprint("k", i)] = "v"
		}
		return m, true
	}
	return nil, false
}

// TestFieldLimitsHold: every limit the document states is one the daemon
// enforces, naming the member.
func TestFieldLimitsHold(t *testing.T) {
	t.Parallel()
	inst := daemontest.NewInstant(platforms.Local, 100)
	d := daemontest.Start(t, daemontest.Options{Platforms: []platforms.Platform{inst}})
	later := time.Now().Add(time.Hour)
	scheduled, err := d.Admin.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij"}, JoinAt: &later})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := d.Admin.Chat().CreateTemplate(t.Context(), api.TemplateRequest{Name: "t", Messages: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	live, err := d.Admin.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij"}})
	if err != nil {
		t.Fatal(err)
	}
	for inst.Token(live.ID) == "" {
		time.Sleep(10 * time.Millisecond)
	}
	ps := probes(scheduled.ID, tmpl.ID)
	for key, limits := range fieldLimits {
		typ, member, _ := strings.Cut(key, ".")
		p, ok := ps[typ]
		if !ok {
			t.Errorf("%s: no probe for type %s", key, typ)
			continue
		}
		for keyword, limit := range limits {
			value, ok := refused(keyword, limit, member)
			if !ok {
				continue
			}
			body := withMember(t, p.body, p.prefix+member, value)
			token := d.AdminKey
			if p.bot {
				token = inst.Token(live.ID)
			}
			status, problem := sendProbe(t, d.URL, token, p.method, p.path, body)
			if status != http.StatusUnprocessableEntity || !names(problem, p.prefix+member) {
				t.Errorf("%s %s=%v: %d %+v, want 422 naming %s", key, keyword, limit, status, problem.Errors, p.prefix+member)
			}
		}
	}
}

// withMember sets a member (a dotted path, with [0] for a first element)
// of a JSON body.
func withMember(t *testing.T, body, path string, value any) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(path, ".")
	cur := doc
	for _, part := range parts[:len(parts)-1] {
		name, index, indexed := strings.Cut(part, "[")
		next := cur[name]
		if indexed && index == "0]" {
			next = next.([]any)[0]
		}
		cur = next.(map[string]any)
	}
	cur[parts[len(parts)-1]] = value
	out, _ := json.Marshal(doc)
	return string(out)
}

func sendProbe(t *testing.T, base, token, method, path, body string) (int, api.Problem) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var p api.Problem
	_ = json.Unmarshal(raw, &p)
	return resp.StatusCode, p
}

func names(p api.Problem, field string) bool {
	for _, f := range p.Errors {
		if f.Field == field || strings.HasPrefix(f.Field, field+"[") || strings.HasPrefix(f.Field, field+".") {
			return true
		}
	}
	return false
}
