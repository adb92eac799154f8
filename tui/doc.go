// Package tui is meeboter's terminal dashboard, a client of a daemon's
// public API like the CLI.
//
// One root Model owns the state machine (loading, error, ready) and every
// message; the views (overview, bots, bot, describe, queue, slots, help)
// are plain structs with SetSize and Render that read the shared fleet
// state. Update
// never does I/O: API calls and the event stream are tea.Cmds that return
// typed messages.
//
// Live updates come from one fleet event stream without log lines, plus a
// per-bot stream (with the bot's log lines) only while a bot is open. The
// fleet stream carries status changes of every bot, which are small and
// rare, and coalesced heartbeats that keep the HEARTBEAT column current;
// asking it for logs too would pour every bot's log through the dashboard
// to show one bot's tail. Pool, slots and queue are read again shortly
// after a bot change that touches them (a burst costs one read), and in
// full on a slow timer for what the stream cannot show: other users' bots
// taking shared capacity and places in the queue.
package tui
