// Package coolify runs bots in a warm pool of Coolify applications
// ("slots") reused across bots, so a bot starts in seconds instead of
// pulling a two-gigabyte image.
//
// A slot is a long-lived "dockerimage" application named
// pool-<meeting platform>-NNN (pool-google-meet-001). Its environment is
// written once, when it is created: POOL_SLOT_UUID (its own uuid), MILO_URL,
// a per-slot token, S3_*. Nothing per bot is ever written to it, because
// changing env makes Coolify want a rebuild; the container finds the bot
// assigned to its slot by asking infrastructure.coolify.pool.getSlot with
// POOL_SLOT_UUID. A slot serves one meeting platform for its whole life,
// since each platform has its own image.
//
// The package has three layers:
//
//   - Client speaks Coolify's API as it is today (POST for deploy, start
//     and stop; the old GET routes answer 405), with a bearer token, TLS
//     verification on, retries of reads on 5xx and of everything on 429
//     (Retry-After honoured), one rate limiter for every request the
//     process sends, and typed errors (*APIError, *DeploymentError).
//   - Pool is the operations the daemon runs on slots, each one call or a
//     documented few: CreateSlotApp, Deploy, Start, WaitDeployment, Stop
//     (waits for exited), Delete, App, ListPoolApps, Label.
//   - Platform is the pool as a platforms.Platform, for reconciliation and
//     the conformance suite. Deploy needs DeploySpec.Slot.
//
// What Coolify cannot hold is in the store, shared by every daemon: the
// slot rows and their state machine, the image-pull lock (the first deploy
// of an image on a server pulls it; the others wait for that pull only)
// and the deploy limit (DEPLOYMENT_QUEUE_MAX_CONCURRENT, FIFO). The daemon
// takes those before calling Pool.Deploy.
//
// Rate limit: Coolify allows API_RATE_LIMIT requests a minute (200 by
// default) per user, across all of that user's tokens. The limiter keeps
// one daemon under COOLIFY_RATE_LIMIT; daemons sharing a token must divide
// Coolify's limit between them (200 for one daemon, 100 each for two).
//
// coolifytest is a fake Coolify for tests of this package and the
// daemon; testdata holds Coolify's own OpenAPI document, which the tests
// check the client and the fake against.
package coolify
