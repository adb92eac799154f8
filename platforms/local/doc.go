// Package local runs bots as child processes of the daemon, the platform of
// local mode: no cluster, no cloud account, by default the built-in sandbox
// bot (`meeboter sandbox-bot`).
//
// Each bot is one command line run with /bin/sh -c in its own process group,
// so stopping a bot reaches the shell and everything it started. Every line
// the process writes goes to Config.LogSink, which the daemon stores as the
// bot's log.
//
// The daemon may die without stopping its bots (a crash, SIGKILL). To let
// the next daemon run find them, each running bot has a pid file in
// Config.StateDir. A process named by a pid file counts as a bot only while
// /proc still shows the same process (same start time), so a pid the kernel
// has since recycled is never mistaken for a bot; such processes are
// "adopted": List reports them and Stop kills them like any other.
package local
