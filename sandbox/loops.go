package sandbox

import (
	"context"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// heartbeatLoop beats at once and then every interval. Like the real bots
// it stops for good once told to leave, and it keeps going through errors:
// missing beats are for the daemon to judge, not a reason to exit, until
// they have failed for GiveUpAfter, when the daemon has long ended the bot.
func (b *bot) heartbeatLoop(ctx context.Context) {
	lastOK := time.Now()
	for {
		if b.silent.fired() || b.leave.fired() {
			return
		}
		var hb api.AgentHeartbeat
		err := b.cfg.bestEffort().do(ctx, func(ctx context.Context) error {
			var err error
			hb, err = b.tr.Heartbeat(ctx)
			return err
		})
		switch {
		case ctx.Err() != nil:
			return
		case quiet(err):
			b.log.Info("heartbeat refused; the bot is over", "reason", err)
			b.gone.fire()
			return
		case err != nil && time.Since(lastOK) > b.cfg.GiveUpAfter:
			b.log.Warn("no heartbeat went through for too long; the bot is over", "for", time.Since(lastOK).Round(time.Second), "error", err)
			b.gone.fire()
			return
		case err != nil:
			b.log.Warn("heartbeat failed", "error", err)
		default:
			lastOK = time.Now()
			b.log.Log(ctx, LevelTrace, "heartbeat", "should_leave", hb.ShouldLeave, "status", hb.Status)
			b.onServer(hb)
		}
		if !sleep(ctx, b.plan.heartbeat, b.silent.ch) {
			return
		}
	}
}

// chatLoop takes every queued chat message and "posts" it: the sandbox has
// no meeting, so posting means logging the message and a reply.
func (b *bot) chatLoop(ctx context.Context) {
	for {
		for {
			msg, err := b.tr.DequeueChat(ctx)
			if ctx.Err() != nil {
				return
			}
			if quiet(err) {
				b.gone.fire()
				return
			}
			if err != nil {
				b.log.Warn("chat poll failed", "error", err)
				break
			}
			if msg == nil {
				break
			}
			b.log.Info("posting chat message", "message_id", msg.ID, "text", msg.Text)
			b.log.Info(fmt.Sprintf("sandbox bot %d replies: got %q", b.cfg.BotID, msg.Text), "message_id", msg.ID)
		}
		if !sleep(ctx, b.plan.chat, nil) {
			return
		}
	}
}

// sleep waits d and reports whether the caller should go on: false when
// ctx ended or stop fired.
func sleep(ctx context.Context, d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-stop:
		return false
	case <-t.C:
		return true
	}
}
