package ecs

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"slices"
	"strconv"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// Tags on every task this package starts. List keeps the tasks carrying
// TagManagedBy (or a StartedByPrefix), so other workloads in a shared
// cluster are never reconciled or stopped.
const (
	TagManagedBy       = "meeboter.managed-by"
	ManagedByValue     = "meeboter"
	TagBotID           = "meeboter.bot-id"
	TagMeetingPlatform = "meeboter.meeting-platform"
)

// StartedByPrefix starts the startedBy of every task, followed by the bot
// id: the ECS console and `aws ecs list-tasks --started-by` show which bot
// a task runs. ECS allows 36 characters here; the longest id fits.
const StartedByPrefix = "meeboter-bot-"

// botTokenKey is the environment key of the bot's own token.
const botTokenKey = "MILO_AUTH_TOKEN"

func startedBy(botID int64) string { return StartedByPrefix + strconv.FormatInt(botID, 10) }

// runTaskInput is the RunTask request for one bot on one capacity provider.
// It is a pure function of its arguments, so a retried deploy sends the
// same request, which ECS requires for the client token to match.
func (p *Platform) runTaskInput(spec platforms.DeploySpec, taskDef, provider, token string) *ecsapi.RunTaskInput {
	return &ecsapi.RunTaskInput{
		Cluster:        p.cfg.Cluster,
		TaskDefinition: taskDef,
		Count:          1,
		// One provider per request: a strategy of several splits tasks by
		// weight and never falls back, so Deploy walks the list itself.
		CapacityProviderStrategy: []ecsapi.CapacityProviderStrategyItem{{
			CapacityProvider: provider, Weight: 1,
		}},
		NetworkConfiguration: &ecsapi.NetworkConfiguration{AwsvpcConfiguration: &ecsapi.AwsVpcConfiguration{
			Subnets:        p.cfg.Subnets,
			SecurityGroups: p.cfg.SecurityGroups,
			AssignPublicIp: assignPublicIP(*p.cfg.AssignPublicIP),
		}},
		Overrides: &ecsapi.TaskOverride{ContainerOverrides: []ecsapi.ContainerOverride{{
			Name:        p.cfg.containerName(spec.MeetingPlatform),
			Environment: p.environment(spec),
		}}},
		StartedBy:   startedBy(spec.BotID),
		Tags:        tags(spec),
		ClientToken: token,
	}
}

func assignPublicIP(on bool) string {
	if on {
		return "ENABLED"
	}
	return "DISABLED"
}

// environment is the bot's Env as container override pairs, sorted so the
// request is the same every time, without the keys the task definition
// supplies from a secret store.
func (p *Platform) environment(spec platforms.DeploySpec) []ecsapi.KeyValuePair {
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		if !slices.Contains(p.cfg.TaskDefSecrets, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	env := make([]ecsapi.KeyValuePair, len(keys))
	for i, k := range keys {
		env[i] = ecsapi.KeyValuePair{Name: k, Value: spec.Env[k]}
	}
	return env
}

func tags(spec platforms.DeploySpec) []ecsapi.Tag {
	return []ecsapi.Tag{
		{Key: TagManagedBy, Value: ManagedByValue},
		{Key: TagBotID, Value: strconv.FormatInt(spec.BotID, 10)},
		{Key: TagMeetingPlatform, Value: spec.MeetingPlatform},
	}
}

// clientToken makes RunTask idempotent per bot, attempt and provider: the
// client's retries of one call, and a deploy retried after a timeout or a
// crash, reuse it, so ECS starts one task for them all. The provider is
// part of it because the request differs per provider, and ECS refuses a
// token reused with other parameters. The hash keeps it within ECS's 64
// printable characters whatever the attempt looks like.
func clientToken(botID int64, attempt, provider string) string {
	h := sha256.New()
	writeField(h, strconv.FormatInt(botID, 10))
	writeField(h, attempt)
	writeField(h, provider)
	return "meeboter-" + hex.EncodeToString(h.Sum(nil)[:20])
}

// specAttempt stands in for DeploySpec.Attempt when the daemon gives none:
// a digest of everything that reaches the request, so an identical spec is
// the same attempt and a spec with a new bot token is a new one.
func specAttempt(spec platforms.DeploySpec) string {
	h := sha256.New()
	writeField(h, spec.MeetingPlatform)
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		writeField(h, k)
		writeField(h, spec.Env[k])
	}
	return "env-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// writeField writes s length-prefixed, so ("ab","c") and ("a","bc") differ.
func writeField(h io.Writer, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	_, _ = h.Write(n[:])
	_, _ = h.Write([]byte(s))
}
