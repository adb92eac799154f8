package cli

import (
	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// statusHelp describes each status for --status completion.
var statusHelp = map[api.BotStatus]string{
	api.StatusScheduled:     "waits for its join time",
	api.StatusQueued:        "waits for capacity",
	api.StatusDeploying:     "is being started",
	api.StatusJoiningCall:   "is joining the call",
	api.StatusInWaitingRoom: "waits to be let in",
	api.StatusInCall:        "is in the call",
	api.StatusLeaving:       "was asked to leave",
	api.StatusCallEnded:     "saw the call end",
	api.StatusDone:          "ended well",
	api.StatusFatal:         "failed",
}

func statusCompletions() cobra.CompletionFunc {
	values := make([]string, len(api.AllStatuses))
	for i, s := range api.AllStatuses {
		values[i] = string(s) + "\t" + statusHelp[s]
	}
	return fixed(values...)
}

var meetingPlatforms = fixed(api.MeetingGoogleMeet+"\tGoogle Meet", api.MeetingMicrosoftTeams+"\tMicrosoft Teams", api.MeetingZoom+"\tZoom")

// Bots by what can be done to them, for completing their ids.
var (
	notStarted = []api.BotStatus{api.StatusScheduled, api.StatusQueued}
	cancelable = []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDeploying}
	deletable  = []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDone, api.StatusFatal}
	leavable   = []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall}
	running    = []api.BotStatus{api.StatusDeploying, api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall, api.StatusLeaving, api.StatusCallEnded}
	inCall     = []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall}
)

// registerCompletions gives every command's arguments and flags their
// completions, from one table so that a command taking an ID cannot be
// forgotten (a test walks the tree for that). Values that live in the
// daemon (bot, key, template and user ids) come from it, with a
// description each; the others are fixed lists.
func registerCompletions(root *cobra.Command, f *Factory) {
	args := map[string]cobra.CompletionFunc{
		"meeboter bot get":                  fromDaemon(f, false, listBots()),
		"meeboter bot update":               fromDaemon(f, false, listBots(notStarted...)),
		"meeboter bot delete":               fromDaemon(f, false, listBots(deletable...)),
		"meeboter bot cancel":               fromDaemon(f, true, listBots(cancelable...)),
		"meeboter bot leave":                fromDaemon(f, true, listBots(leavable...)),
		"meeboter bot events":               fromDaemon(f, false, listBots()),
		"meeboter bot logs":                 fromDaemon(f, false, listBots()),
		"meeboter bot screenshots":          fromDaemon(f, false, listBots()),
		"meeboter bot recording":            fromDaemon(f, false, listBots(api.StatusDone)), // only DONE carries one
		"meeboter bot log-level":            logLevelArgs(f),
		"meeboter bot chat send":            fromDaemon(f, false, listBots(inCall...)),
		"meeboter bot chat history":         fromDaemon(f, false, listBots()),
		"meeboter bot chat template get":    fromDaemon(f, false, listTemplates),
		"meeboter bot chat template update": fromDaemon(f, false, listTemplates),
		"meeboter bot chat template delete": fromDaemon(f, false, listTemplates),
		"meeboter bot chat template send":   fromDaemon(f, false, listTemplates),
		"meeboter key revoke":               fromDaemon(f, false, listKeys(f.Now, true)),
		"meeboter key logs":                 fromDaemon(f, false, listKeys(f.Now, false)),
		"meeboter user reset-keys":          fromDaemon(f, false, listUsers),
		"meeboter webhook rotate":           fromDaemon(f, false, listWebhooks),
		"meeboter webhook delete":           fromDaemon(f, false, listWebhooks),
		"meeboter webhook deliveries":       fromDaemon(f, false, listWebhooks),
		"meeboter webhook resend":           fromDaemon(f, false, listDeliveries),
		"meeboter user set-plan":            userThenPlan(f),
		"meeboter user set-limits":          fromDaemon(f, false, listUsers),
		"meeboter pool slots delete":        fromDaemon(f, true, listSlots),
	}
	flags := map[string]map[string]cobra.CompletionFunc{
		"meeboter bot list":               {"status": statusCompletions(), "meeting-platform": meetingPlatforms, "platform": meetingPlatforms},
		"meeboter bot create":             {"meeting-platform": meetingPlatforms, "platform": meetingPlatforms},
		"meeboter bot chat broadcast":     {"bot": fromDaemon(f, true, listBots(inCall...))},
		"meeboter bot chat template send": {"bot": fromDaemon(f, true, listBots(inCall...))},
		"meeboter pool slots create":      {"platform": meetingPlatforms},
		"meeboter user create":            {"role": fixed(api.RoleMember+"\tsees their own bots", api.RoleAdmin+"\tmanages users, sees every bot")},
		"meeboter serve":                  {"log-format": fixed("text", "json"), "log-level": fixed("debug", "info", "warn", "error")},
	}
	walk(root, func(cmd *cobra.Command) {
		if fn, ok := args[cmd.CommandPath()]; ok {
			cmd.ValidArgsFunction = fn
		}
		for name, fn := range flags[cmd.CommandPath()] {
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
		if cmd.Flags().Lookup("output") != nil {
			_ = cmd.RegisterFlagCompletionFunc("output", fixed("table\tpadded columns", "tsv\ttab-separated, no header", "json\tthe API's wire types"))
		}
	})
}

// logLevelArgs completes `bot log-level ID LEVEL`: a running bot, then a
// level.
func logLevelArgs(f *Factory) cobra.CompletionFunc {
	bots := fromDaemon(f, false, listBots(running...))
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return fixed(logLevels...)(cmd, args, toComplete)
		}
		return bots(cmd, args, toComplete)
	}
}

// walk calls fn on cmd and every command below it.
func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, sub := range cmd.Commands() {
		walk(sub, fn)
	}
}
