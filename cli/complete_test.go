package cli

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// TestCompletion runs cobra's __complete command, as a shell does on Tab,
// against the fake daemon.
func TestCompletion(t *testing.T) {
	t.Parallel()
	bots := api.List[api.Bot]{Items: []api.Bot{sampleBot(12, api.StatusInCall), sampleBot(13, api.StatusQueued)}}
	bots.Items[1].DisplayName = ""
	tests := []struct {
		name   string
		args   []string
		routes []route
		want   string
	}{
		{"BotIDs", []string{"bot", "get", ""}, []route{{"GET /v1/bots", reply(http.StatusOK, bots)}},
			"12\tNotes (IN_CALL)\n13\tgoogle-meet (QUEUED)\n"},
		{"BotIDPrefix", []string{"bot", "logs", "13"}, []route{{"GET /v1/bots", reply(http.StatusOK, bots)}},
			"13\tgoogle-meet (QUEUED)\n"},
		{"OneIDOnly", []string{"bot", "get", "12", ""}, nil, ""},
		{"ManyIDsSkipGiven", []string{"bot", "leave", "12", ""}, []route{{"GET /v1/bots", reply(http.StatusOK, bots)}},
			"13\tgoogle-meet (QUEUED)\n"},
		{"LogLevelSecondArg", []string{"bot", "log-level", "12", ""}, nil,
			"TRACE\nDEBUG\nINFO\nWARN\nERROR\nFATAL\n"},
		{"Keys", []string{"key", "revoke", ""}, []route{{"GET /v1/keys", reply(http.StatusOK, api.List[api.APIKey]{Items: []api.APIKey{
			{ID: 3, Name: "ci"}, {ID: 2, Name: "old", RevokedAt: &fixedNow}}})}},
			"3\tci (active)\n"},
		{"Templates", []string{"bot", "chat", "template", "send", ""}, []route{{"GET /v1/chat/templates", reply(http.StatusOK, api.List[api.Template]{Items: []api.Template{{ID: 7, Name: "greet"}}})}},
			"7\tgreet\n"},
		{"Users", []string{"user", "reset-keys", ""}, []route{{"GET /v1/users", reply(http.StatusOK, api.List[api.User]{Items: []api.User{{ID: 4, Email: "ana@example.com", Role: "member"}}})}},
			"4\tana@example.com (member)\n"},
		{"Status", []string{"bot", "list", "--status", "IN_"}, nil,
			"IN_WAITING_ROOM\twaits to be let in\nIN_CALL\tis in the call\n"},
		{"MeetingPlatform", []string{"bot", "create", "--meeting-platform", ""}, nil,
			"google-meet\tGoogle Meet\nmicrosoft-teams\tMicrosoft Teams\nzoom\tZoom\n"},
		{"Output", []string{"queue", "list", "-o", "j"}, nil, "json\tthe API's wire types\n"},
		{"BotFlag", []string{"bot", "chat", "broadcast", "--bot", ""}, []route{{"GET /v1/bots", reply(http.StatusOK, bots)}},
			"12\tNotes (IN_CALL)\n13\tgoogle-meet (QUEUED)\n"},
		{"DaemonRefuses", []string{"bot", "get", ""}, []route{{"GET /v1/bots", problemReply(http.StatusUnauthorized, api.CodeUnauthorized, "no key")}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			for _, r := range tt.routes {
				b.daemon.handle(r.pattern, r.answer)
			}
			assertEqual(t, "exit", b.run(t, append([]string{"__complete"}, tt.args...)...), ExitOK)
			assertEqual(t, "candidates", b.stdout.String(), tt.want+":4\n")
		})
	}
}

// TestCompletion_StatusFilter asks the daemon only for bots the command
// can act on.
func TestCompletion_StatusFilter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var got []string
	b.daemon.handle("GET /v1/bots", func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()["status"]
		reply(http.StatusOK, api.List[api.Bot]{})(w, r)
	})
	assertEqual(t, "exit", b.run(t, "__complete", "bot", "cancel", ""), ExitOK)
	assertEqual(t, "statuses", strings.Join(got, ","), "SCHEDULED,QUEUED,DEPLOYING")
}

// TestCompletion_Unreachable completes nothing, quietly, with no daemon.
func TestCompletion_Unreachable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.env["MEEBOTER_ADDR"] = "http://" + ln.Addr().String()
	ln.Close()
	assertEqual(t, "exit", b.run(t, "__complete", "bot", "get", ""), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), ":4\n")
	if strings.Contains(b.stderr.String(), "error") || strings.Contains(b.stderr.String(), "retrying") {
		t.Errorf("stderr:\n%s", b.stderr)
	}
}

// TestCompletion_EveryID checks that every command taking an ID completes
// it, and that the table names only commands that exist.
func TestCompletion_EveryID(t *testing.T) {
	t.Parallel()
	root := newCmdRoot(setup(t).f)
	walk(root, func(cmd *cobra.Command) {
		positional := strings.ReplaceAll(cmd.Use, "--bot ID...", "")
		if strings.Contains(positional, "ID") && cmd.ValidArgsFunction == nil {
			t.Errorf("%s takes an ID but completes none", cmd.CommandPath())
		}
	})
}
