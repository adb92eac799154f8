package cli

import (
	"github.com/spf13/cobra"
)

// newCmdBot groups the bot commands.
func newCmdBot(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:   "bot <command>",
		Short: "Create, follow and manage meeting bots",
		Example: `  $ meeboter bot create --meeting-url https://meet.google.com/abc-defg-hij --wait
  $ meeboter bot list --status IN_CALL
  $ meeboter bot logs 42 -f`,
	})
	cmd.AddCommand(
		newCmdBotCreate(f, nil), newCmdBotList(f, nil), newCmdBotGet(f, nil),
		newCmdBotUpdate(f, nil), newCmdBotDelete(f, nil),
		newCmdBotEnd(f, endCancel, nil), newCmdBotEnd(f, endLeave, nil),
		newCmdBotEvents(f, nil), newCmdBotLogs(f, nil), newCmdBotScreenshots(f, nil), newCmdBotRecording(f, nil), newCmdBotLogLevel(f, nil),
		newCmdBotChat(f),
	)
	return cmd
}
