package cli

import (
	"context"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdBotChat groups the chat commands.
func newCmdBotChat(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:   "chat <command>",
		Short: "Post in meeting chats through bots",
		Example: `  $ meeboter bot chat send 42 "Recording starts now"
  $ meeboter bot chat broadcast --bot 42 --bot 43 "Five minutes left"
  $ meeboter bot chat template send 7 --bot 42`,
	})
	cmd.AddCommand(newCmdChatSend(f, nil), newCmdChatHistory(f, nil), newCmdChatBroadcast(f, nil), newCmdChatTemplate(f))
	return cmd
}

type chatSendOptions struct {
	deps
	ID   int64
	Text string
}

func newCmdChatSend(f *Factory, runF func(*chatSendOptions) error) *cobra.Command {
	opts := &chatSendOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "send ID TEXT",
		Short: "Queue a message for one bot to post",
		Long: `Queue a chat message; the bot posts it when it next polls, while in the call.
Check delivery with meeboter bot chat history.`,
		Example: `  $ meeboter bot chat send 42 "Hello from the notes bot"`,
		Args:    exactArgs(2, "a bot ID and the text"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			if args[1] == "" {
				return flagErrorf("the message text is empty")
			}
			opts.ID, opts.Text = id, args[1]
			return run(runF, chatSendRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func chatSendRun(opts *chatSendOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	msg, err := c.Bots().SendChat(opts.Ctx, opts.ID, opts.Text)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, msg)
	}
	opts.hint("queued message %d for bot %d", msg.ID, msg.BotID)
	return printChat(opts.printer(), []api.ChatMessage{*msg})
}

func newCmdChatHistory(f *Factory, runF func(*botPageOptions) error) *cobra.Command {
	return newBotPageCmd(f, &cobra.Command{
		Use:     "history ID",
		Short:   "List the messages queued for a bot, oldest first",
		Example: `  $ meeboter bot chat history 42`,
	}, "messages", runF, chatHistoryRun)
}

func chatHistoryRun(opts *botPageOptions) error {
	return listBotPages(opts, func(c *api.Client, ctx context.Context, id int64, cursor string, limit int) (*api.List[api.ChatMessage], error) {
		return c.Bots().ChatHistory(ctx, id, cursor, limit)
	}, printChat)
}

// printChat prints chat messages as a table.
func printChat(p *printer, msgs []api.ChatMessage) error {
	t := p.table("ID", "BOT", "STATUS", "QUEUED", "SENT", "TEXT")
	for _, m := range msgs {
		t.row(strconv.FormatInt(m.ID, 10), strconv.FormatInt(m.BotID, 10), m.Status,
			p.time(m.EnqueuedAt), p.timePtr(m.SentAt), m.Text)
	}
	return t.render()
}
