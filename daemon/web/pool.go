package web

import (
	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/store"
)

// poolData fills the Pool and queue page.
type poolData struct {
	Pool     api.PoolStatus
	Statuses []api.BotStatus
	Queue    []lifecycle.QueueItem
	Slots    []store.PoolSlot
}

// poolPage shows capacity per platform, the whole queue with positions
// and estimated waits, and the container slots (admins only: to a member
// the page does not exist).
func (c *Console) poolPage(v *visit) (result, error) {
	caller := v.caller()
	if err := caller.RequireAdmin(); err != nil {
		return nil, err
	}
	ctx := v.r.Context()
	pool, err := c.svc.Life.Pool(ctx, caller.Scope(), caller.User.ID)
	if err != nil {
		return nil, err
	}
	queue, err := c.svc.Life.Queue(ctx, caller.Scope())
	if err != nil {
		return nil, err
	}
	slots, err := c.svc.Life.Slots(ctx)
	if err != nil {
		return nil, err
	}
	return view{page: "pool", title: "Pool and queue", nav: "pool", data: poolData{Pool: pool, Statuses: api.AllStatuses, Queue: queue, Slots: slots}}, nil
}
