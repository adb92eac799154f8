package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// report announces a non-terminal status the way the real bots do: an
// event, then the status, then a screenshot of the new state.
func (b *bot) report(ctx context.Context, status api.BotStatus) error {
	if b.leave.fired() {
		return errLeave // the daemon holds the bot in LEAVING
	}
	b.setStatus(status)
	b.log.Info("status "+string(status), "status", status)
	b.events(ctx, api.AgentEvent{Type: string(status), Time: time.Now().UTC()})
	if err := b.sendStatus(ctx, api.AgentStatusRequest{Status: status}); err != nil {
		return err
	}
	b.screenshot(ctx, "state_change", status)
	return nil
}

// done reports DONE, with a recording key when recording is enabled. The
// screenshot goes first: once DONE lands, the platform may stop the bot.
func (b *bot) done(ctx context.Context) error {
	req := api.AgentStatusRequest{Status: api.StatusDone, SpeakerTimeframes: b.speakerTimeframes()}
	if b.conf.RecordingEnabled {
		req.Recording = b.record(ctx)
	}
	b.screenshot(ctx, "state_change", api.StatusDone)
	b.setStatus(api.StatusDone)
	b.log.Info("status DONE", "status", api.StatusDone, "recording", req.Recording)
	return b.sendStatus(ctx, req)
}

// fatal reports FATAL with the bot's own sub code.
func (b *bot) fatal(ctx context.Context, subCode, description string) error {
	b.setStatus(api.StatusFatal)
	b.log.Error("status FATAL", "status", api.StatusFatal, "sub_code", subCode, "description", description)
	data, _ := json.Marshal(map[string]string{"description": description, "sub_code": subCode})
	b.events(ctx, api.AgentEvent{Type: string(api.StatusFatal), Time: time.Now().UTC(), Data: data})
	b.screenshot(ctx, "fatal", api.StatusFatal)
	return b.sendStatus(ctx, api.AgentStatusRequest{Status: api.StatusFatal, SubCode: subCode, Description: description})
}

// sendStatus sends a status until it lands. A refused transition is not
// fatal: the daemon moved the bot on (to LEAVING, typically), and one
// heartbeat tells the bot where it stands.
func (b *bot) sendStatus(ctx context.Context, req api.AgentStatusRequest) error {
	var hb api.AgentHeartbeat
	err := b.cfg.mustLand().do(ctx, func(ctx context.Context) error {
		var err error
		hb, err = b.tr.Status(ctx, req)
		return err
	})
	switch {
	case err == nil:
		b.onServer(hb)
		return nil
	case errors.Is(err, api.ErrInvalidTransition):
		b.log.Warn("the daemon refused the status", "status", req.Status, "error", err)
		if hb, herr := b.tr.Heartbeat(ctx); herr == nil {
			b.onServer(hb)
		}
		return nil
	case quiet(err), ctx.Err() != nil:
		return err
	}
	return fmt.Errorf("report %s: %w", req.Status, err)
}

func (b *bot) setStatus(s api.BotStatus) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status = s
	if s == api.StatusInCall {
		b.inCall = time.Now()
	}
}
