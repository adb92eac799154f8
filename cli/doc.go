// Package cli is meeboter's command line: `meeboter serve` runs the daemon
// and every other subcommand is a client of a daemon's HTTP API, reached
// only through package api.
//
// Each command lives in its own file as an xOptions struct (dependencies
// and flags), newCmdX(f, runF) that validates flags, and xRun(opts) that
// does the I/O; tests pass a runF to check flag parsing alone, or none to
// run against an httptest server. Shared dependencies come from a Factory
// of lazy funcs, so nothing reads the config file or dials the daemon until
// a command needs it.
//
// Output: data goes to stdout and everything else (progress, hints,
// errors) to stderr. On a terminal, lists are padded tables; when stdout is
// piped they become tab-separated values without a header row, with RFC
// 3339 times, so `cut -f1` and `while read` work. -o json (or --json)
// prints the api wire types unchanged: one object, or a list as an
// api.List object.
//
// Exit codes (see ExitCode): 0 ok, 1 error, 2 bad usage or a request the
// daemon rejected as invalid, 3 not found, 4 unauthorized or forbidden, 5
// daemon unreachable or unavailable, 6 a bot followed with --wait ended
// FATAL, 130 interrupted (Ctrl-C).
package cli
