// Package sandbox is the built-in sandbox bot: a real client of the
// daemon's bot-facing agent API that behaves like a meeting bot without
// joining any meeting. It is what the local platform runs by default, so a
// newcomer sees the whole life of a bot with no cloud account, and what
// tests and demos use to make bots fail in chosen ways.
//
// The bot fetches its config, heartbeats, walks JOINING_CALL →
// IN_WAITING_ROOM → IN_CALL (each reported as an event and a status, with
// a generated PNG screenshot), reports two participants joining and
// leaving, streams its logs in batches while printing them to stdout,
// "posts" chat messages by logging them, obeys a leave request with DONE,
// and ends with CALL_ENDED then DONE (with a recording key when recording
// is enabled).
//
// # Scenarios
//
// The scenario comes from the --scenario flag or the bot's metadata key
// sandbox.scenario:
//
//	normal                      stay in the call for call-ends-after (5s), then CALL_ENDED, DONE
//	call-ends-after=<duration>  normal, with that call length
//	never-admitted              stay IN_WAITING_ROOM until the waiting-room timeout,
//	                            then FATAL with sub code WAITING_ROOM_TIMEOUT
//	crash-in-call               exit with status 1 a step into the call, reporting nothing
//	stops-heartbeating          stop heartbeating once in the call and wait to be stopped
//	fatal:<SUB_CODE>            report FATAL with that sub code while joining
//
// A leave request (the daemon's heartbeat answer shouldLeave) ends every
// scenario with DONE, except stops-heartbeating, which no longer hears it.
//
// # Timings
//
// Flags win over metadata, metadata over defaults. Values are Go
// durations (1500ms, 2s, 1m).
//
//	sandbox.call-ends-after       --call-ends-after       5s
//	sandbox.step-delay            --step-delay            1s (between statuses)
//	sandbox.heartbeat-interval    --heartbeat-interval    2s
//	sandbox.chat-interval         --chat-interval         2s
//	sandbox.waiting-room-timeout  --waiting-room-timeout  automaticLeave.waitingRoomTimeout
//
// An unknown scenario or a malformed timing makes the bot report FATAL
// with sub code SANDBOX_INVALID_CONFIG.
//
// # Exit
//
// The bot exits 0 after DONE or FATAL (once its logs are shipped), when the
// daemon says the bot is over (410, or 409 on config) or refuses its token
// (401), and on SIGTERM, after which it reports nothing more. It exits 1
// for crash-in-call and when the daemon stays unreachable. Failed calls
// are retried with backoff, because the daemon may be restarting.
//
// # Protocols
//
// The scenario engine talks through the small Transport interface, with
// two implementations: the native agent API under /v1/agent (the default)
// and, with --protocol trpc, the tRPC protocol of the existing bot images
// (/api/trpc, MILO_URL and MILO_AUTH_TOKEN as they use them), which lets
// the sandbox stand in for one of those images against any server that
// speaks it.
//
// A tRPC bot calls what the images call, in their order: bots.getConfig
// once, bots.sendHeartbeat, bots.events.report then bots.updateStatus for
// each status (no event for DONE, which carries the recording key),
// bots.logs.stream, bots.chat.dequeueMessage, multipart screenshots, and
// bots.logs.flush at exit. The protocol's config has no metadata, so in
// this mode the scenario and timings come from the flags only (metadata
// keys are not seen), as a bot of the old protocol never had metadata
// either. Its heartbeat carries no status: the bot leaves on shouldLeave
// and otherwise runs until its scenario ends or the platform stops it. A
// getConfig answered PRECONDITION_FAILED (the bot has finished) ends the
// bot quietly, like a 409 on the native config.
package sandbox
