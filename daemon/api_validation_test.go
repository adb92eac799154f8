package daemon_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

// badRequest is one request the API must refuse, and how.
type badRequest struct {
	name, method, path, body string
	headers                  []string
	status                   int
	code                     string
	fields                   []string
}

func meetingBody(extra string) string {
	return `{"meeting":{"meetingUrl":"` + meetURL + `"}` + extra + `}`
}

func TestAPIRefusesBadBotRequests(t *testing.T) {
	t.Parallel()
	const bad, invalid = http.StatusBadRequest, http.StatusUnprocessableEntity
	far := time.Now().Add(100 * 24 * time.Hour).UTC().Format(time.RFC3339)
	cases := []badRequest{
		{name: "malformed JSON", body: `{"meeting":`, status: bad, code: api.CodeBadRequest},
		{name: "not an object", body: `[1,2]`, status: bad, code: api.CodeBadRequest},
		{name: "empty body", body: ` `, status: bad, code: api.CodeBadRequest},
		{name: "two values", body: meetingBody("") + ` {}`, status: bad, code: api.CodeBadRequest},
		{name: "unknown field", body: meetingBody(`,"colour":"red"`), status: invalid, code: api.CodeValidation, fields: []string{"colour"}},
		{name: "wrong type", body: meetingBody(`,"priority":"high"`), status: invalid, code: api.CodeValidation, fields: []string{"priority"}},
		{name: "wrong nested type", body: `{"meeting":{"meetingUrl":5}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.meetingUrl"}},
		{name: "time not RFC 3339", body: meetingBody(`,"joinAt":"tomorrow"`), status: invalid, code: api.CodeValidation, fields: []string{"joinAt"}},
		{name: "meeting URL with a port", body: `{"meeting":{"meetingUrl":"https://meet.google.com:99999/abc-defg-hij"}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.meetingUrl"}},
		{name: "callback URL port out of range", body: meetingBody(`,"callbackUrl":"https://example.com:99999/hook"`), status: invalid, code: api.CodeValidation, fields: []string{"callbackUrl"}},
		{name: "no meeting URL", body: `{"meeting":{}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.meetingUrl"}},
		{name: "unparseable meeting URL", body: `{"meeting":{"meetingUrl":"::not a url"}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.meetingUrl"}},
		{name: "unknown meeting host", body: `{"meeting":{"meetingUrl":"https://example.com/j/123456789"}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.meetingUrl"}},
		{name: "platform mismatch", body: `{"meeting":{"meetingUrl":"` + meetURL + `","platform":"zoom"}}`, status: invalid, code: api.CodeValidation, fields: []string{"meeting.platform"}},
		{name: "display name too long", body: meetingBody(`,"displayName":"` + strings.Repeat("x", 256) + `"`), status: invalid, code: api.CodeValidation, fields: []string{"displayName"}},
		{name: "bad metadata key", body: meetingBody(`,"metadata":{"no spaces":"x"}`), status: invalid, code: api.CodeValidation, fields: []string{"metadata.no spaces"}},
		{name: "metadata value too long", body: meetingBody(`,"metadata":{"k":"` + strings.Repeat("v", 513) + `"}`), status: invalid, code: api.CodeValidation, fields: []string{"metadata.k"}},
		{name: "max duration too short", body: meetingBody(`,"maxDurationSeconds":59`), status: invalid, code: api.CodeValidation, fields: []string{"maxDurationSeconds"}},
		{name: "max duration too long", body: meetingBody(`,"maxDurationSeconds":86401`), status: invalid, code: api.CodeValidation, fields: []string{"maxDurationSeconds"}},
		{name: "negative queue timeout", body: meetingBody(`,"queueTimeoutSeconds":-1`), status: invalid, code: api.CodeValidation, fields: []string{"queueTimeoutSeconds"}},
		{name: "queue timeout too long", body: meetingBody(`,"queueTimeoutSeconds":86401`), status: invalid, code: api.CodeValidation, fields: []string{"queueTimeoutSeconds"}},
		{name: "priority too high", body: meetingBody(`,"priority":10`), status: invalid, code: api.CodeValidation, fields: []string{"priority"}},
		{name: "negative priority", body: meetingBody(`,"priority":-1`), status: invalid, code: api.CodeValidation, fields: []string{"priority"}},
		{name: "bad log level", body: meetingBody(`,"logLevel":"LOUD"`), status: invalid, code: api.CodeValidation, fields: []string{"logLevel"}},
		{name: "join too far ahead", body: meetingBody(`,"joinAt":"` + far + `"`), status: invalid, code: api.CodeValidation, fields: []string{"joinAt"}},
		{name: "bad image URL", body: meetingBody(`,"imageUrl":"ftp://x/y.png"`), status: invalid, code: api.CodeValidation, fields: []string{"imageUrl"}},
		{name: "leave timeout out of range", body: meetingBody(`,"automaticLeave":{"waitingRoomTimeout":-1,"noOneJoinedTimeout":0,"everyoneLeftTimeout":0,"inactivityTimeout":0}`), status: invalid, code: api.CodeValidation, fields: []string{"automaticLeave.waitingRoomTimeout"}},
		{name: "every bad field at once", body: meetingBody(`,"priority":11,"logLevel":"LOUD","maxDurationSeconds":1`), status: invalid, code: api.CodeValidation, fields: []string{"priority", "logLevel", "maxDurationSeconds"}},
		{name: "text body", body: meetingBody(""), headers: []string{"Content-Type", "text/plain"}, status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMedia},
		{name: "form body", body: "meeting=x", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMedia},
		{name: "body too large", body: meetingBody(`,"displayName":"` + strings.Repeat("x", 1<<20) + `"`), status: http.StatusRequestEntityTooLarge, code: api.CodePayloadTooLarge},
	}
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", tc.body, tc.headers...)
				wantProblem(t, r, tc.status, tc.code, tc.fields...)
			})
		}
		list, err := d.Admin.Bots().List(t.Context(), api.BotListOptions{})
		if err != nil || len(list.Items) != 0 {
			t.Errorf("refused requests created bots: %v, %v", botIDs(list.Items), err)
		}
		r := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", meetingBody(`,"joinAt":"`+fromNow(time.Hour).Format(time.RFC3339)+`"`), "Content-Type", "application/json; charset=utf-8")
		r.wantStatus(t, http.StatusCreated)
	})
}

func TestAPIRefusesBadParameters(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		bot := scheduleBot(t, d.Admin, "target")
		done := endedBot(t, d.Admin)
		const invalid = http.StatusUnprocessableEntity
		cases := []badRequest{
			{name: "log level", method: http.MethodPost, path: botURL(bot.ID, "log-level"), body: `{"logLevel":"LOUD"}`, fields: []string{"logLevel"}},
			{name: "empty display name", method: http.MethodPatch, path: botURL(bot.ID), body: `{"displayName":""}`, fields: []string{"displayName"}},
			{name: "join now and at", method: http.MethodPatch, path: botURL(bot.ID), body: `{"joinNow":true,"joinAt":"` + fromNow(time.Hour).Format(time.RFC3339) + `"}`, fields: []string{"joinNow"}},
			{name: "update max duration", method: http.MethodPatch, path: botURL(bot.ID), body: `{"maxDurationSeconds":5}`, fields: []string{"maxDurationSeconds"}},
			{name: "update unknown field", method: http.MethodPatch, path: botURL(bot.ID), body: `{"status":"DONE"}`, fields: []string{"status"}},
			{name: "usage time zone", method: http.MethodGet, path: "/v1/usage?timeZone=Mars/Olympus", fields: []string{"timeZone"}},
			{name: "plan time zone", method: http.MethodGet, path: "/v1/plan?timeZone=Nowhere", fields: []string{"timeZone"}},
			{name: "usage from", method: http.MethodGet, path: "/v1/usage?from=yesterday", fields: []string{"from"}},
			{name: "usage range reversed", method: http.MethodGet, path: "/v1/usage?from=2026-02-10&to=2026-02-01", fields: []string{"to"}},
			{name: "usage range too long", method: http.MethodGet, path: "/v1/usage?from=2024-01-01&to=2026-01-01", fields: []string{"to"}},
			{name: "cursor", method: http.MethodGet, path: "/v1/bots?cursor=abc", fields: []string{"cursor"}},
			{name: "negative cursor", method: http.MethodGet, path: "/v1/bots?cursor=-4", fields: []string{"cursor"}},
			{name: "zero limit", method: http.MethodGet, path: "/v1/bots?limit=0", fields: []string{"limit"}},
			{name: "limit too large", method: http.MethodGet, path: "/v1/keys?limit=501", fields: []string{"limit"}},
			{name: "limit not a number", method: http.MethodGet, path: botURL(bot.ID, "events") + "?limit=ten", fields: []string{"limit"}},
			{name: "status filter", method: http.MethodGet, path: "/v1/bots?status=SLEEPING", fields: []string{"status"}},
			{name: "metadata filter", method: http.MethodGet, path: "/v1/bots?metadata=novalue", fields: []string{"metadata"}},
			{name: "created filter", method: http.MethodGet, path: "/v1/bots?createdFrom=yesterday", fields: []string{"createdFrom"}},
			{name: "stream status", method: http.MethodGet, path: "/v1/events/stream?status=SLEEPING", fields: []string{"status"}},
			{name: "empty bulk", method: http.MethodPost, path: "/v1/bots/cancel", body: `{"botIds":[]}`, fields: []string{"botIds"}},
			{name: "bulk of strings", method: http.MethodPost, path: "/v1/bots/leave", body: `{"botIds":["a"]}`, fields: []string{"botIds"}},
			{name: "empty chat", method: http.MethodPost, path: botURL(bot.ID, "chat"), body: `{"text":"  "}`, fields: []string{"text"}},
			{name: "chat too long", method: http.MethodPost, path: botURL(bot.ID, "chat"), body: `{"text":"` + strings.Repeat("é", 1001) + `"}`, fields: []string{"text"}},
			{name: "broadcast", method: http.MethodPost, path: "/v1/chat/messages", body: `{"botIds":[],"text":""}`, fields: []string{"botIds", "text"}},
			{name: "template", method: http.MethodPost, path: "/v1/chat/templates", body: `{"name":"","messages":["ok",""]}`, fields: []string{"name", "messages[1]"}},
			{name: "template without messages", method: http.MethodPost, path: "/v1/chat/templates", body: `{"name":"t","messages":[]}`, fields: []string{"messages"}},
			{name: "key", method: http.MethodPost, path: "/v1/keys", body: `{"name":"","expiresInDays":400}`, fields: []string{"name", "expiresInDays"}},
			{name: "user", method: http.MethodPost, path: "/v1/users", body: `{"email":"not-an-address","role":"owner","customDailyBotLimit":-1}`, fields: []string{"email", "role", "customDailyBotLimit"}},
		}
		for i := range cases {
			cases[i].status, cases[i].code = invalid, api.CodeValidation
		}
		cases = append(cases,
			badRequest{name: "cancel an ended bot", method: http.MethodPost, path: botURL(done.ID, "cancel"), body: `{}`, status: http.StatusConflict, code: api.CodeInvalidTransition},
			badRequest{name: "leave an ended bot", method: http.MethodPost, path: botURL(done.ID, "leave"), body: `{}`, status: http.StatusConflict, code: api.CodeInvalidTransition},
			badRequest{name: "chat to an ended bot", method: http.MethodPost, path: botURL(done.ID, "chat"), body: `{"text":"hi"}`, status: http.StatusConflict, code: api.CodeConflict},
			badRequest{name: "update an ended bot", method: http.MethodPatch, path: botURL(done.ID), body: `{"displayName":"x"}`, status: http.StatusConflict, code: api.CodeConflict},
			badRequest{name: "text log level", method: http.MethodPost, path: botURL(bot.ID, "log-level"), body: `DEBUG`, headers: []string{"Content-Type", "text/plain"}, status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMedia},
			badRequest{name: "huge bulk", method: http.MethodPost, path: "/v1/bots/cancel", body: `{"botIds":[` + strings.Repeat("1,", 1<<19) + `1]}`, status: http.StatusRequestEntityTooLarge, code: api.CodePayloadTooLarge},
		)
		for _, path := range []string{"/v1/bots/abc", "/v1/bots/0", "/v1/bots/-3", botURL(missingID), "/v1/bots/1.5/events", "/v1/bots/x/logs",
			"/v1/bots/x/screenshots", "/v1/bots/x/chat", "/v1/bots/x/stream", "/v1/chat/templates/x", "/v1/keys/x/logs", "/v1/keys/0/logs"} {
			cases = append(cases, badRequest{name: "GET " + path, method: http.MethodGet, path: path, status: http.StatusNotFound, code: api.CodeNotFound})
		}
		for _, path := range []string{"/v1/bots/x/cancel", "/v1/bots/x/leave", "/v1/keys/x/revoke", "/v1/users/x/reset-keys", "/v1/chat/templates/x/send"} {
			cases = append(cases, badRequest{name: "POST " + path, method: http.MethodPost, path: path, body: `{"botIds":[1]}`, status: http.StatusNotFound, code: api.CodeNotFound})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, send(t, d, d.AdminKey, tc.method, tc.path, tc.body, tc.headers...), tc.status, tc.code, tc.fields...)
			})
		}
		if got, err := d.Admin.Bots().Get(t.Context(), bot.ID); err != nil || got.Status != api.StatusScheduled || got.DisplayName != "target" || got.LogLevel != "INFO" {
			t.Errorf("refused requests changed the bot: %+v, %v", got, err)
		}
	})
}
