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
//     documented few: CreateSlotApp, DeployBot (Label, then Deploy), Start,
//     WaitDeployment, Stop (waits for exited), Delete, App, ListPoolApps.
//   - Platform is the pool as a platforms.Platform, for reconciliation and
//     the conformance suite. Deploy needs DeploySpec.Slot.
//
// What Coolify cannot hold is in the store, shared by every daemon: the
// slot rows and their state machine, the image-pull lock and the deploy
// limit (DEPLOYMENT_QUEUE_MAX_CONCURRENT, FIFO).
//
// # Driving the pool
//
// The daemon pairs store calls with pool calls; no network call is made
// inside a database transaction. Holders of leases are the daemon's
// instance id, or for the two deploy locks the instance id and the slot.
//
// Admit: store.Admit with the Coolify PlatformLimit carrying
// Pool: &store.SlotPool{Max: COOLIFY_POOL_MAX, Name: FormatSlotName}. The
// result's Slot is an idle slot (with an application) or a new row
// without one; the bot records it (Bot.PoolSlotID).
//
// Deploy, for a bot from store.ClaimDeploys:
//
//  1. store.LeasePoolSlots{Statuses: DEPLOYING, IDs: the bot's slot},
//     renewed while the steps below run.
//  2. No application yet, or Pool.App says it vanished: Pool.CreateSlotApp
//     (env with a fresh slot token), then store.SetPoolSlotApp with the
//     uuid and the token's hash.
//  3. Pool.PullKey, then store.TryImagePull until PullDone or PullMine.
//     Only the first deploy of an image on a server pulls; the others wait
//     for that deploy alone and then go in parallel.
//  4. store.AcquireDeployTurn{Max: DEPLOYMENT_QUEUE_MAX_CONCURRENT} until
//     granted, calling again to renew; ErrWaitTimeout fails the deploy.
//  5. Pool.DeployBot (label the slot with the bot, POST /deploy),
//     store.SetDeployed with the application uuid, Pool.WaitDeployment.
//  6. store.FinishImagePull (when PullMine; Pulled only on success),
//     store.ReleaseDeployTurn, then store.UpdatePoolSlot to HEALTHY, or to
//     ERROR with the *DeploymentError's message before failing the bot
//     over (store.Admit excluding coolify, which releases the slot).
//
// Leases on idle slots: admission never hands out an IDLE slot someone
// leases (the warm pool making its application or pulling its image, a
// deletion), so a container started for those never finds a bot, and a
// slot being deleted is never assigned. A full pool of idle slots of other
// meeting platforms gives up its least recently used one (beyond
// COOLIFY_POOL_MIN_IDLE) for the head of the queue, or the queue, FIFO,
// would wait for ever.
//
// Release: a bot's terminal transition (or its failover) leaves its slot
// RELEASING and unassigned in the same transaction. Any daemon then takes
// store.LeasePoolSlots{Statuses: RELEASING}, runs Platform.Stop (cancel a
// deployment in flight, stop, wait for exited, label idle), and
// store.UpdatePoolSlot to IDLE, or to ERROR when the stop failed. Only an
// IDLE slot is handed to the next bot, so an old container restarted by
// Docker can never read the next bot's config; it asks getSlot, finds no
// bot, and exits.
//
// Recovery (leader): store.LeasePoolSlots{Statuses: ERROR} gets, when
// RecoveryAttempts reached the limit, Pool.Delete then
// store.DeletePoolSlot, and otherwise Pool.Stop then store.UpdatePoolSlot
// to IDLE (attempts count on until a deploy works, so a slot that always
// fails is eventually replaced). store.LeasePoolSlots{Statuses: DEPLOYING,
// ChangedBefore: now - deploy timeout} finds deploys whose daemon died:
// HEALTHY when the container runs and its bot heartbeats, else ERROR.
//
// Sync (leader): Pool.ListPoolApps and store.ListPoolSlots. An error from
// the list ends the run: a failed list is never an empty pool (W15). An
// application no slot names is deleted only once older than a few
// minutes and when no slot row without an application has its name (it
// may be a creation in progress, W33). A slot whose application is gone
// gets store.SetPoolSlotApp with an empty uuid, so its next deploy makes a
// new one; its bot, if any, has lost its resource.
//
// # Rate limit
//
// Coolify allows API_RATE_LIMIT requests a minute (200 by default) per
// user, across all of that user's tokens. The limiter keeps one daemon
// under COOLIFY_RATE_LIMIT; daemons sharing a token must divide Coolify's
// limit between them (200 for one daemon, 100 each for two). Polls are
// the bulk of the traffic: each deploy or stop being waited on polls every
// COOLIFY_POLL_INTERVAL, growing to COOLIFY_POLL_MAX.
//
// coolifytest is a fake Coolify for tests of this package and the daemon;
// testdata holds Coolify's own OpenAPI document, which the tests check the
// client and the fake against.
package coolify
