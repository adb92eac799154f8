package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/meeboter/meeboter/api"
)

// errStop ends a stream from inside its callback.
var errStop = errors.New("stop following")

// follower follows one bot over its event stream until it ends, printing
// status changes on stderr. When the stream drops (the daemon restarted)
// it re-reads the bot and reconnects, for up to GiveUp, resuming after the
// last message it saw.
type follower struct {
	client *api.Client
	id     int64
	errOut io.Writer
	color  bool
	now    func() time.Time

	// OnConnect runs at the first message of every connection, so a
	// caller can catch up on what it missed while disconnected.
	OnConnect func(ctx context.Context) error
	// OnEvent sees every stream message after the status is handled.
	OnEvent func(api.StreamEvent) error
	// Retry and GiveUp pace reconnecting.
	Retry  time.Duration
	GiveUp time.Duration
	// Linger keeps the stream open after the bot ends until no message
	// came for this long, for at most LingerMax: bots ship their last log
	// lines as they exit, after their final status. Zero stops at the end.
	Linger, LingerMax time.Duration

	last   *api.Bot
	lastID string // the id of the last stream message, to resume after it
	// ending is set once the bot has ended and the stream lingers.
	ending      bool
	quiet, stop *time.Timer
}

// newFollower follows bot id with d's streams and clock.
func newFollower(d *deps, c *api.Client, id int64) *follower {
	return &follower{client: c, id: id, errOut: d.IO.ErrOut, color: d.IO.ErrColorEnabled(),
		now: d.Now, Retry: d.followRetry, GiveUp: 2 * time.Minute}
}

// run returns the bot once it is DONE or FATAL. On any other end it
// returns the error with the last state it saw (nil if none).
func (fl *follower) run(ctx context.Context) (*api.Bot, error) {
	defer fl.stopLinger()
	var lostAt time.Time
	for {
		sctx, cancel := context.WithCancel(ctx)
		err := fl.client.Stream(sctx, api.StreamOptions{BotID: fl.id, LastEventID: fl.lastID}, fl.handler(ctx, cancel, &lostAt))
		cancel()
		switch {
		case errors.Is(err, errStop), fl.ending && ctx.Err() == nil && (errors.Is(err, context.Canceled) || retryable(ctx, err)):
			// Ended: the linger is over, and a stream that breaks
			// while lingering has nothing more to wait for either.
			return fl.last, nil
		case !retryable(ctx, err):
			return fl.last, err
		}
		if lostAt.IsZero() {
			lostAt = fl.now()
			fmt.Fprintln(fl.errOut, "lost the connection to the daemon; reconnecting...")
		}
		if fl.now().Sub(lostAt) > fl.GiveUp {
			return fl.last, err
		}
		if done, err := fl.reread(ctx); done || err != nil {
			return fl.last, err
		}
	}
}

// handler is the stream callback of one connection; cancel ends the
// connection, which is how lingering stops.
func (fl *follower) handler(ctx context.Context, cancel context.CancelFunc, lostAt *time.Time) func(api.StreamEvent) error {
	connected := false
	return func(ev api.StreamEvent) error {
		if ev.ID != "" {
			fl.lastID = ev.ID
		}
		if !connected {
			if !lostAt.IsZero() {
				fmt.Fprintln(fl.errOut, "reconnected")
			}
			connected, *lostAt = true, time.Time{}
			if fl.OnConnect != nil {
				if err := fl.OnConnect(ctx); err != nil {
					return err
				}
			}
		}
		if fl.quiet != nil {
			fl.quiet.Reset(fl.Linger)
		}
		if ev.Bot != nil && fl.show(ev.Bot) && !fl.ending {
			if fl.Linger <= 0 {
				return errStop
			}
			fl.ending = true
			fl.quiet, fl.stop = time.AfterFunc(fl.Linger, cancel), time.AfterFunc(max(fl.Linger, fl.LingerMax), cancel)
		}
		if fl.OnEvent != nil {
			return fl.OnEvent(ev)
		}
		return nil
	}
}

// stopLinger stops the linger timers, if any.
func (fl *follower) stopLinger() {
	for _, t := range []*time.Timer{fl.quiet, fl.stop} {
		if t != nil {
			t.Stop()
		}
	}
}

// reread waits a little, then reads the bot, which may have moved on
// while the stream was down. done means it has ended.
func (fl *follower) reread(ctx context.Context) (done bool, err error) {
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-time.After(fl.Retry):
	}
	b, err := fl.client.Bots().Get(ctx, fl.id)
	if err != nil {
		if retryable(ctx, err) {
			return false, nil
		}
		return false, err
	}
	return fl.show(b), nil
}

// retryable reports whether err is a dropped or refused connection worth
// another try, as opposed to an answer (404, 401) or Ctrl-C.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	return api.IsUnreachable(err) || errors.Is(err, api.ErrUnavailable)
}

// show prints b's status if it changed and reports whether b has ended.
func (fl *follower) show(b *api.Bot) bool {
	if fl.last == nil || changed(fl.last, b) {
		status := string(b.Status)
		if fl.color {
			status = statusStyle(b.Status).Render(status)
		}
		fmt.Fprintf(fl.errOut, "%s %s%s\n", fl.now().Format(time.TimeOnly), status, followNote(b))
	}
	fl.last = b
	return b.Status.Terminal()
}

// changed reports whether a person watching would want a new line.
func changed(a, b *api.Bot) bool {
	return a.Status != b.Status || a.QueuePosition != b.QueuePosition ||
		a.DeploymentPlatform != b.DeploymentPlatform
}

// followNote is the detail after a status in --wait output.
func followNote(b *api.Bot) string {
	switch b.Status {
	case api.StatusScheduled:
		if b.JoinAt != nil {
			return " (joins at " + b.JoinAt.Local().Format(time.TimeOnly) + ")"
		}
	case api.StatusDeploying:
		if b.DeploymentPlatform != "" {
			return " on " + b.DeploymentPlatform
		}
	}
	return statusNote(b)
}
