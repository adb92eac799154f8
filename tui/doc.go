// Package tui is meeboter's terminal dashboard, a client of a daemon's
// public API like the CLI.
//
// One root Model owns the state machine (loading, error, ready) and every
// message; the views (overview, bots, bot, queue, slots, help) are plain
// structs with SetSize and Render that read the shared fleet state. Update
// never does I/O: API calls and the event stream are tea.Cmds that return
// typed messages.
//
// Live updates come from one fleet event stream without log lines, plus a
// per-bot stream (with the bot's log lines) only while a bot is open. The
// fleet stream carries status changes of every bot, which are small and
// rare; asking it for logs too would pour every bot's log through the
// dashboard to show one bot's tail. Pool, slots and queue are polled slowly
// because they change with every bot anyway and are cheap to read.
package tui
