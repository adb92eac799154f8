package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
)

// subscription is one running stream. Its goroutine forwards messages into
// events and closes it when the stream ends, after setting err, so a
// reader sees every message before the end.
type subscription struct {
	kind   streamKind
	gen    int
	botID  int64
	events chan api.StreamEvent
	err    error
	cancel context.CancelFunc
}

// openStream starts a stream and returns it as a streamOpenedMsg.
func openStream(ctx context.Context, c Client, kind streamKind, gen int, opts api.StreamOptions) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithCancel(ctx)
		sub := &subscription{kind: kind, gen: gen, botID: opts.BotID, events: make(chan api.StreamEvent, 64), cancel: cancel}
		go sub.run(ctx, c, opts)
		return streamOpenedMsg{sub: sub}
	}
}

func (s *subscription) run(ctx context.Context, c Client, opts api.StreamOptions) {
	s.err = c.Stream(ctx, opts, func(ev api.StreamEvent) error {
		select {
		case s.events <- ev:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(s.events)
}

// waitStream returns the subscription's next message.
func waitStream(s *subscription) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-s.events
		if !ok {
			return streamClosedMsg{kind: s.kind, gen: s.gen, err: s.err}
		}
		return streamEventMsg{kind: s.kind, gen: s.gen, ev: ev}
	}
}

// closeStream stops a subscription; its last messages arrive stale and are
// dropped by generation.
func closeStream(s *subscription) tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		s.cancel()
		return nil
	}
}
