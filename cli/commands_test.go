package cli

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

// route is one stub of a command test.
type route struct {
	pattern string
	answer  http.HandlerFunc
}

// TestCommands runs each command against the fake daemon, piped (no
// terminal, no colour), and compares stdout, stderr and the exit code.
func TestCommands(t *testing.T) {
	t.Parallel()
	expires := fixedNow.Add(24 * time.Hour)
	revoked := fixedNow.Add(-time.Hour)
	key := api.APIKey{ID: 3, Name: "ci", Prefix: "mbk_ab12", CreatedAt: fixedNow.Add(-48 * time.Hour), ExpiresAt: &expires}
	tests := []struct {
		name       string
		args       []string
		routes     []route
		wantCode   ExitCode
		wantStdout string
		wantStderr string
	}{
		{"KeyCreate", []string{"key", "create", "--name", "ci", "--expires-in-days", "30"},
			[]route{{"POST /v1/keys", reply(http.StatusCreated, api.CreatedKey{APIKey: key, Secret: "mbk_ab12_secret"})}},
			ExitOK, "mbk_ab12_secret\n",
			"created key 3 \"ci\"\nthe secret above will not be shown again; store it now\n"},
		{"KeyCreateNoName", []string{"key", "create"}, nil, ExitUsage, "", ""},
		{"KeyCreateTooLong", []string{"key", "create", "--name", "x", "--expires-in-days", "400"}, nil, ExitUsage, "", ""},
		{"KeyList", []string{"key", "list"},
			[]route{{"GET /v1/keys", reply(http.StatusOK, api.List[api.APIKey]{Items: []api.APIKey{key,
				{ID: 2, Name: "old", Prefix: "mbk_cd34", CreatedAt: fixedNow.Add(-72 * time.Hour), RevokedAt: &revoked}}})}},
			ExitOK,
			"3\tci\tmbk_ab12\tactive\t2026-04-29T12:00:00Z\t2026-05-02T12:00:00Z\t\n" +
				"2\told\tmbk_cd34\trevoked\t2026-04-28T12:00:00Z\t\t\n", ""},
		{"KeyRevoke", []string{"key", "revoke", "3"},
			[]route{{"POST /v1/keys/3/revoke", reply(http.StatusOK, key)}}, ExitOK, "", "revoked key 3 \"ci\"\n"},
		{"KeyRevokeForbidden", []string{"key", "revoke", "4"},
			[]route{{"POST /v1/keys/4/revoke", problemReply(http.StatusForbidden, api.CodeForbidden, "not your key")}},
			ExitAuth, "", "error: not your key\n"},
		{"KeyLogsOne", []string{"key", "logs", "3"},
			[]route{{"GET /v1/keys/3/logs", reply(http.StatusOK, api.List[api.RequestLog]{Items: []api.RequestLog{
				{ID: 1, KeyID: 3, Method: "GET", Path: "/v1/bots", Status: 200, DurationMS: 4, CreatedAt: fixedNow}}})}},
			ExitOK, "2026-05-01T12:00:00Z\t3\tGET\t/v1/bots\t200\t4\t\n", ""},
		{"UserCreate", []string{"user", "create", "--email", "ana@example.com", "--name", "Ana"},
			[]route{{"POST /v1/users", reply(http.StatusCreated, api.CreatedUser{
				User: api.User{ID: 4, Email: "ana@example.com", Role: "member"},
				Key:  api.CreatedKey{APIKey: api.APIKey{ID: 9}, Secret: "mbk_new"}})}},
			ExitOK, "mbk_new\n", "created user 4 ana@example.com (member)\nthe secret above will not be shown again; store it now\n"},
		{"UserCreateBadRole", []string{"user", "create", "--email", "a@b", "--role", "owner"}, nil, ExitUsage, "", ""},
		{"UserResetKeys", []string{"user", "reset-keys", "4"},
			[]route{{"POST /v1/users/4/reset-keys", reply(http.StatusOK, api.CreatedKey{APIKey: api.APIKey{ID: 10}, Secret: "mbk_fresh"})}},
			ExitOK, "mbk_fresh\n", "revoked the keys of user 4 and issued key 10\nthe secret above will not be shown again; store it now\n"},
		{"UserListUnauthorized", []string{"user", "list"},
			[]route{{"GET /v1/users", problemReply(http.StatusUnauthorized, api.CodeUnauthorized, "key expired")}},
			ExitAuth, "", "error: key expired\nhint: run `meeboter login`, or set MEEBOTER_API_KEY\n"},
		{"UserListAsMember", []string{"user", "list"},
			[]route{{"GET /v1/users", problemReply(http.StatusNotFound, api.CodeNotFound, "no such endpoint")},
				{"GET /v1/me", reply(http.StatusOK, api.User{ID: 4, Email: "ana@example.com", Role: api.RoleMember})}},
			ExitAuth, "", "error: meeboter user list needs an admin API key; this key is ana@example.com's (member)\n" +
				"hint: ask an admin to run it, or log in with an admin key (meeboter login)\n"},
		{"UserResetKeysNoSuchUser", []string{"user", "reset-keys", "99"},
			[]route{{"POST /v1/users/99/reset-keys", problemReply(http.StatusNotFound, api.CodeNotFound, "user 99 not found")},
				{"GET /v1/me", reply(http.StatusOK, api.User{ID: 1, Email: "admin@localhost", Role: api.RoleAdmin})}},
			ExitNotFound, "", "error: user 99 not found\n"},
		{"BotGetNotFound", []string{"bot", "get", "404"},
			[]route{{"GET /v1/bots/404", problemReply(http.StatusNotFound, api.CodeNotFound, "bot 404 not found")}},
			ExitNotFound, "", "error: bot 404 not found\n"},
		{"BotDelete", []string{"bot", "delete", "9"},
			[]route{{"DELETE /v1/bots/9", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }}},
			ExitOK, "", "deleted bot 9\n"},
		{"BotUpdateNothing", []string{"bot", "update", "9"}, nil, ExitUsage, "", ""},
		{"BotLogLevelBad", []string{"bot", "log-level", "9", "loud"}, nil, ExitUsage, "", ""},
		{"BotEvents", []string{"bot", "events", "9"},
			[]route{{"GET /v1/bots/9/events", reply(http.StatusOK, api.List[api.Event]{Items: []api.Event{
				{ID: 1, BotID: 9, Type: "PARTICIPANT_JOIN", Time: fixedNow, Data: []byte(`{"name":"Ana"}`)}}})}},
			ExitOK, "1\t2026-05-01T12:00:00Z\tPARTICIPANT_JOIN\t{\"name\":\"Ana\"}\n", ""},
		{"ChatSend", []string{"bot", "chat", "send", "9", "hello"},
			[]route{{"POST /v1/bots/9/chat", reply(http.StatusCreated, api.ChatMessage{ID: 5, BotID: 9, Text: "hello", Status: "queued", EnqueuedAt: fixedNow})}},
			ExitOK, "5\t9\tqueued\t2026-05-01T12:00:00Z\t\thello\n", "queued message 5 for bot 9\n"},
		{"ChatBroadcastNoBots", []string{"bot", "chat", "broadcast", "hi"}, nil, ExitUsage, "", ""},
		{"ChatBroadcast", []string{"bot", "chat", "broadcast", "--bot", "1,2", "hi"},
			[]route{{"POST /v1/chat/messages", reply(http.StatusOK, api.BulkResult{Succeeded: []int64{1, 2}})}},
			ExitOK, "1\n2\n", "queued the message for 2 bot(s)\n"},
		{"TemplateCreate", []string{"bot", "chat", "template", "create", "--name", "greet", "-m", "Hi", "-m", "Hello"},
			[]route{{"POST /v1/chat/templates", reply(http.StatusCreated, api.Template{ID: 7, Name: "greet", Messages: []string{"Hi", "Hello"}, UpdatedAt: fixedNow})}},
			ExitOK, "7\tgreet\tHi | Hello\t2026-05-01T12:00:00Z\n", ""},
		{"TemplateSend", []string{"bot", "chat", "template", "send", "7", "--bot", "9"},
			[]route{{"POST /v1/chat/templates/7/send", reply(http.StatusOK, api.BulkResult{Succeeded: []int64{9}})}},
			ExitOK, "9\n", "queued a message for 1 bot(s)\n"},
		{"TemplateDelete", []string{"bot", "chat", "template", "delete", "7"},
			[]route{{"DELETE /v1/chat/templates/7", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }}},
			ExitOK, "", "deleted template 7\n"},
		{"QueueList", []string{"queue", "list"},
			[]route{{"GET /v1/queue", reply(http.StatusOK, api.List[api.QueueEntry]{Items: []api.QueueEntry{
				{BotID: 9, DisplayName: "Notes", MeetingPlatform: "zoom", Position: 1, QueuedAt: fixedNow, TimeoutAt: fixedNow.Add(10 * time.Minute), EstimatedWaitSeconds: 60}}})}},
			ExitOK, "1\t9\tNotes\tzoom\t0\t2026-05-01T12:00:00Z\t60\t2026-05-01T12:10:00Z\n", ""},
		{"QueueListEmptyJSON", []string{"queue", "list", "--json"},
			[]route{{"GET /v1/queue", reply(http.StatusOK, map[string]any{"items": nil})}},
			ExitOK, "{\n  \"items\": []\n}\n", ""},
		{"PoolStatus", []string{"pool", "status"},
			[]route{{"GET /v1/pool", reply(http.StatusOK, api.PoolStatus{
				Platforms: []api.PlatformCapacity{{Name: "local", Used: 2, Free: 3, Limit: 5}}, Queued: 1,
				Today: api.DayCounts{Started: 4, Done: 2, Failed: 1}})}},
			ExitOK, "local\t2\t3\t5\n", "queued: 1; today (UTC): 4 started (2 done, 1 failed), 0 ended without starting\n"},
		{"PoolStatusSlots", []string{"pool", "status"},
			[]route{{"GET /v1/pool", reply(http.StatusOK, api.PoolStatus{
				Platforms: []api.PlatformCapacity{{Name: "coolify", Used: 1, Free: 3, Limit: 4}},
				Slots:     []api.SlotCounts{{MeetingPlatform: "zoom", Total: 2, Idle: 1, Busy: 1, MinIdle: 1}}})}},
			ExitOK, "coolify\t1\t3\t4\n", "slots: zoom 2 (1 idle, 1 busy, 0 releasing, 0 error; min idle 1)\n" +
				"queued: 0; today (UTC): 0 started (0 done, 0 failed), 0 ended without starting\n"},
		{"PoolSlotsList", []string{"pool", "slots", "list"},
			[]route{{"GET /v1/pool/slots", reply(http.StatusOK, api.List[api.PoolSlot]{Items: []api.PoolSlot{
				{ID: 3, Platform: "coolify", MeetingPlatform: "zoom", Name: "pool-zoom-001", Status: "IDLE", LastUsedAt: &fixedNow}}})}},
			ExitOK, "3\tcoolify\tzoom\tpool-zoom-001\tIDLE\t\t2026-05-01T12:00:00Z\t\n", ""},
		{"PoolSlotsCreate", []string{"pool", "slots", "create", "--platform", "zoom", "--count", "2"},
			[]route{{"POST /v1/pool/slots", func(w http.ResponseWriter, r *http.Request) {
				var req api.CreateSlotsRequest
				if json.NewDecoder(r.Body).Decode(&req) != nil || req.MeetingPlatform != "zoom" || req.Count != 2 {
					http.Error(w, "bad request", http.StatusBadRequest)
					return
				}
				reply(http.StatusCreated, api.List[api.PoolSlot]{Items: []api.PoolSlot{
					{ID: 4, Platform: "coolify", MeetingPlatform: "zoom", Name: "pool-zoom-002", Status: "IDLE"}}})(w, r)
			}}},
			ExitOK, "4\tcoolify\tzoom\tpool-zoom-002\tIDLE\t\t\t\n", "added 1 of 2 slot(s): the pool is at COOLIFY_POOL_MAX\n"},
		{"PoolSlotsCreateBadPlatform", []string{"pool", "slots", "create", "--platform", "webex"}, nil, ExitUsage, "", ""},
		{"PoolSlotsDelete", []string{"pool", "slots", "delete", "4", "7"},
			[]route{{"DELETE /v1/pool/slots/4", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }},
				{"DELETE /v1/pool/slots/7", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }}},
			ExitOK, "", "deleted slot 4\ndeleted slot 7\n"},
		{"PoolSync", []string{"pool", "sync"},
			[]route{{"POST /v1/pool/sync", reply(http.StatusOK, api.PoolSyncResult{Apps: 3, Slots: 2, Deleted: []string{"pool-zoom-009"}})}},
			ExitOK, "deleted\tpool-zoom-009\n", "Coolify lists 3 pool application(s) for 2 slot(s)\n"},
		{"UsagePlan", []string{"usage", "plan"},
			[]route{{"GET /v1/plan", reply(http.StatusOK, api.Plan{Plan: "free", UsedToday: 2, TimeZone: "UTC", ResetsAt: "2026-05-02T00:00:00Z"})}},
			ExitOK, "plan\tfree\ndaily_limit\tunlimited\nused_today\t2\nremaining\tunlimited\nresets_at\t2026-05-02T00:00:00Z\ntime_zone\tUTC\nconcurrent_limit\tunlimited\nrunning\t0\n", ""},
		{"UsageBadZone", []string{"usage", "--tz", "Mars/Olympus"}, nil, ExitUsage, "", ""},
		{"Version", []string{"version"}, nil, ExitOK, "meeboter v1.2.3 (commit abc1234, built 2026-01-02T03:04:05Z)\n", ""},
		{"VersionFlag", []string{"--version"}, nil, ExitOK, "meeboter v1.2.3 (commit abc1234, built 2026-01-02T03:04:05Z)\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			for _, r := range tt.routes {
				b.daemon.handle(r.pattern, r.answer)
			}
			assertEqual(t, "exit", b.run(t, tt.args...), tt.wantCode)
			assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			if tt.wantCode != ExitUsage {
				assertEqual(t, "stderr", b.stderr.String(), tt.wantStderr)
			}
		})
	}
}
