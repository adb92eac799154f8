package sandbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// scenario walks the bot through its plan. Every path ends in one of: DONE
// or FATAL reported, a crash (ErrCrashed), the daemon ending the bot, or
// ctx ending. A leave request at any point is answered with DONE, as the
// real bots do: the daemon already moved the bot to LEAVING.
func (b *bot) scenario(ctx context.Context) error {
	err := b.walk(ctx)
	if errors.Is(err, errLeave) {
		b.log.Info("leave requested by the daemon; leaving the call")
		return b.done(ctx)
	}
	return err
}

func (b *bot) walk(ctx context.Context) error {
	if err := b.report(ctx, api.StatusJoiningCall); err != nil {
		return err
	}
	if b.plan.scenario == ScenarioFatal {
		if err := b.pause(ctx, b.plan.stepDelay); err != nil {
			return err
		}
		return b.fatal(ctx, b.plan.subCode, "sandbox scenario fatal:"+b.plan.subCode)
	}
	if err := b.step(ctx, api.StatusInWaitingRoom); err != nil {
		return err
	}
	if b.plan.scenario == ScenarioNeverAdmitted {
		return b.neverAdmitted(ctx)
	}
	if err := b.step(ctx, api.StatusInCall); err != nil {
		return err
	}
	b.participants(ctx, "PARTICIPANT_JOIN")
	switch b.plan.scenario {
	case ScenarioCrashInCall:
		return b.crash(ctx)
	case ScenarioStopsHeartbeating:
		return b.hang(ctx)
	}
	if err := b.pause(ctx, b.plan.callEndsAfter); err != nil {
		return err
	}
	b.participants(ctx, "PARTICIPANT_LEAVE")
	if err := b.report(ctx, api.StatusCallEnded); err != nil {
		return err
	}
	return b.done(ctx)
}

// step waits the step delay, then reports status.
func (b *bot) step(ctx context.Context, status api.BotStatus) error {
	if err := b.pause(ctx, b.plan.stepDelay); err != nil {
		return err
	}
	return b.report(ctx, status)
}

// neverAdmitted waits in the waiting room until the waiting-room timeout,
// then gives up with FATAL WAITING_ROOM_TIMEOUT (a real bot would retry
// and fail the same way; the sandbox skips the retries).
func (b *bot) neverAdmitted(ctx context.Context) error {
	if err := b.pause(ctx, b.plan.waitingRoom); err != nil {
		return err
	}
	return b.fatal(ctx, SubCodeWaitingRoomTimeout, fmt.Sprintf("not admitted within %v", b.plan.waitingRoom))
}

// crash exits the process abruptly a moment into the call: no status, as
// with an uncaught exception in a real bot.
func (b *bot) crash(ctx context.Context) error {
	if err := b.pause(ctx, b.plan.stepDelay); err != nil {
		return err
	}
	b.log.Error("crashing on purpose", "scenario", ScenarioCrashInCall)
	return ErrCrashed
}

// hang stops heartbeating and waits to be killed, so the daemon's
// heartbeat timeout can be watched at work.
func (b *bot) hang(ctx context.Context) error {
	b.silent.fire()
	b.log.Warn("heartbeats stopped on purpose; waiting to be stopped", "scenario", ScenarioStopsHeartbeating)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-b.gone.ch:
		return errGone
	}
}

// pause waits d unless the daemon asks the bot to leave or ends it first.
func (b *bot) pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-b.leave.ch:
		return errLeave
	case <-b.gone.ch:
		return errGone
	case <-ctx.Done():
		return ctx.Err()
	}
}
