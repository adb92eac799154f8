// Package ecs runs bots on Amazon ECS, one Fargate task per bot.
//
// Deploy calls RunTask with the meeting platform's task definition and
// returns the task ARN at once; it never waits for the task to start,
// since pulling a browser image takes a minute and the daemon tracks
// progress on its own. The task carries the bot's environment in a
// container override (its own token, never a shared one), startedBy
// meeboter-bot-<id>, the tags meeboter.managed-by and meeboter.bot-id, and
// a client token made from the bot id and the deploy attempt, so the
// client's retries and a deploy retried after a crash start one task, not
// two.
// Capacity providers are tried in order (FARGATE_SPOT, then FARGATE): when
// RunTask's failures[] says a provider has no capacity, the same task is
// asked of the next one.
//
// Status and Statuses read tasks with DescribeTasks, 100 per call, and map
// ECS's stop codes and container exits to reason codes (ReasonOOMKilled,
// ReasonSpotInterrupted, ...). List reads every page of ListTasks, for
// running and recently stopped tasks, and keeps meeboter's. Stop calls
// StopTask. The package keeps no state between calls: everything comes
// from ECS, so daemons sharing a cluster, or restarted, agree. It does not
// implement platforms.Watcher; a poller of its own would only know the
// tasks one process started.
//
// # Wiring it into the daemon
//
//	cfg, err := ecs.ConfigFromEnv(os.Getenv) // AWS_REGION, AWS_ECS_*, AWS_BOT_LIMIT
//	p, err := ecs.New(cfg, logger)           // credentials as the AWS SDKs find them; AWS_ENDPOINT_URL_ECS for an emulator
//
// The platform implements platforms.BatchStatuser: the daemon's workers
// should call Statuses with the ARNs of every live bot on "aws" instead of
// Status per bot. Deploy errors say what ECS said:
//
//	var de *ecs.DeployError
//	if errors.As(err, &de) {
//		// de.Failures: reason, detail, ARN and capacity provider of every
//		// failures[] entry, to record on the bot as an event.
//	}
//	if errors.Is(err, ecs.ErrNoCapacity) {
//		// Every provider was out of capacity: fail over to the next
//		// platform. This is not platforms.ErrFull, which retries here.
//	}
//
// Set platforms.DeploySpec.Attempt to a value tied to the deploy's bot
// token (a prefix of the token's hash, say), so a retried deploy with the
// same token reuses the task and a new token starts a new one; without it
// the adapter uses a digest of the spec, which behaves the same way.
//
// The ECS client (package ecsapi) and the credential chain (package
// awscreds) are the platform's own, on the AWS SDK's signer and credential
// providers: the SDK's ECS client and its configuration loader cost every
// daemon start, ECS or not, more memory than the rest of the platform.
// The tests run against kumo's in-process emulator behind the ecstest
// middleware, and hold the client's requests and readings to the SDK's
// generated serializers and deserializers.
package ecs
