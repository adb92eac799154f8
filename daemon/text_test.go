package daemon_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// textCase is one request carrying text, or a number, that a column
// cannot hold; field is what the 422 must name ("" when the request is a
// bot's, whose text is cleaned and accepted instead).
type textCase struct {
	method, path, body, field string
	bot                       bool
}

const nul, lone = `\u0000`, `\ud800`

func textCases(botID int64) []textCase {
	bot := "/v1/bots/" + itoa(botID)
	return []textCase{
		{"POST", "/v1/bots", `{"meeting":{"meetingUrl":"` + meetURL + `"},"displayName":"a` + nul + `"}`, "displayName", false},
		{"POST", "/v1/bots", `{"meeting":{"meetingUrl":"` + meetURL + `","meetingId":"` + nul + `"}}`, "meeting.meetingId", false},
		{"POST", "/v1/bots", `{"meeting":{"meetingUrl":"` + meetURL + `"},"metadata":{"team":"x` + nul + `"}}`, "metadata.team", false},
		{"POST", "/v1/bots", `{"meeting":{"meetingUrl":"` + meetURL + `"},"metadata":{"t` + nul + `":"x"}}`, "metadata.t\x00", false},
		{"PATCH", bot, `{"displayName":"` + nul + `"}`, "displayName", false},
		{"POST", bot + "/chat", `{"text":"hi` + nul + `"}`, "text", false},
		{"POST", "/v1/chat/templates", `{"name":"t","messages":["a` + nul + `"]}`, "messages[0]", false},
		{"POST", "/v1/keys", `{"name":"k` + nul + `"}`, "name", false},
		{"POST", "/v1/users", `{"email":"a` + nul + `@b.c"}`, "email", false},
		{"POST", "/v1/users", `{"email":"big@b.c","customDailyBotLimit":2147483648}`, "customDailyBotLimit", false},
		{"GET", "/v1/bots?metadata=team%3D%00", "", "metadata", false},
		{"GET", "/v1/bots?meetingPlatform=%00", "", "meetingPlatform", false},
		{"GET", "/v1/usage?timeZone=%00", "", "timeZone", false},
		{"POST", "/v1/agent/events", `{"events":[{"type":"NOTE","time":"2026-01-01T00:00:00Z","data":{"a":"` + nul + lone + `"}}]}`, "", true},
		{"POST", "/v1/agent/logs", `{"entries":[{"id":"1","level":"INFO","time":"2026-01-01T00:00:00Z","message":"x` + nul + `","fields":{"k":"` + lone + `"}}]}`, "", true},
		{"POST", "/v1/agent/status", `{"status":"JOINING_CALL","description":"` + nul + `"}`, "", true},
	}
}

// TestTextTheStoreCannotHold: the same answer on both engines, and never a
// 5xx: people's input with a NUL is a 422 naming the field, a number out
// of its column's range too; a bot's text is cleaned and stored.
func TestTextTheStoreCannotHold(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		p := daemontest.NewInstant(platforms.Local, 100)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{p}})
		scheduled := scheduleBot(t, d.Admin, "later")
		b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		eventually(t, "deployed", func() bool { return p.Token(b.ID) != "" })
		for _, c := range textCases(scheduled.ID) {
			key := d.AdminKey
			if c.bot {
				key = p.Token(b.ID)
			}
			r := send(t, d, key, c.method, c.path, c.body)
			if c.bot {
				if r.status >= 300 {
					t.Errorf("%s %s: %d %s, want the text cleaned and accepted", c.method, c.path, r.status, r.body)
				}
				continue
			}
			pr := wantProblem(t, r, http.StatusUnprocessableEntity, api.CodeValidation)
			named := false
			for _, f := range pr.Errors {
				named = named || f.Field == c.field
			}
			if !named {
				t.Errorf("%s %s: errors %+v do not name %q", c.method, c.path, pr.Errors, c.field)
			}
		}
		logs, err := d.Admin.Bots().Logs(t.Context(), b.ID, "", 10)
		if err != nil || len(logs.Items) != 1 || strings.ContainsRune(logs.Items[0].Message, 0) {
			t.Fatalf("stored log %+v, %v", logs, err)
		}
	})
}
