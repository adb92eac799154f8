package feed

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/store"
)

// Retention is how long the change feed keeps an entry, and so how long a
// client may be away and still resume where it was; the leader purges
// older ones.
const Retention = 15 * time.Minute

// MaxReplay bounds what a reconnecting client is sent from the store:
// beyond it, reloading is cheaper than replaying.
const MaxReplay = 5000

// Replay returns the messages of s's changes after `after`, up to s.From
// (which live delivery continues from), for a client resuming after the
// message with that id. reset reports that they cannot all be had: the
// feed no longer keeps the oldest, there are more than MaxReplay, or the
// id is not one this database handed out. The client then reloads.
func (h *Hub) Replay(ctx context.Context, s *Subscription, after int64) (msgs []Message, reset bool, err error) {
	b, err := h.src.ChangeBounds(ctx)
	if err != nil {
		return nil, false, err
	}
	if after > b.Newest || after < 0 {
		return nil, true, nil
	}
	if after < s.From && (b.Oldest == 0 || b.Oldest > after+1) {
		return nil, true, nil
	}
	q := store.ChangeQuery{After: after, Through: s.From, UserID: s.UserID, BotID: s.BotID, Limit: pageSize}
	for q.After < s.From {
		cs, err := h.src.ReadChanges(ctx, q)
		if err != nil {
			return nil, false, err
		}
		for _, c := range cs {
			if s.wants(c) {
				msgs = append(msgs, Messages(c)...)
			}
		}
		if len(msgs) > MaxReplay {
			return nil, true, nil
		}
		if len(cs) < pageSize {
			break
		}
		q.After = cs[len(cs)-1].Seq
	}
	return msgs, false, nil
}
