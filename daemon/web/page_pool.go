package web

// poolPage is the admin's view of the fleet: capacity per platform, the
// whole queue, and the container slots.
func (d *doc) poolPage(fr *frame) {
	p := fr.Data.(poolData)
	d.Raw(`
<h1>Pool and queue</h1>
`)
	d.poolCapacity(p)
	d.poolQueue(p)
	d.poolSlots(p)
}

// poolCapacity is each platform's load, today's counts and the bots by
// status.
func (d *doc) poolCapacity(p poolData) {
	d.Raw(`
<section aria-labelledby="cap-h" class="card">
  <h2 id="cap-h">Capacity</h2>`)
	if len(p.Pool.Platforms) > 0 {
		d.Raw(`
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">Platform</th><th scope="col">In use</th><th scope="col">Free</th><th scope="col">Limit</th><th scope="col" class="opt">Load</th></tr></thead>
    <tbody>`)
		for _, c := range p.Pool.Platforms {
			d.F(`
      <tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td>
        <td class="opt"><meter min="0" max="%d" value="%d" aria-label="%s: %d of %d in use">%d of %d</meter></td></tr>
    `, c.Name, c.Used, c.Free, c.Limit, c.Limit, c.Used, c.Name, c.Used, c.Limit, c.Used, c.Limit)
		}
		d.Raw(`</tbody>
  </table>
  </div>`)
	} else {
		d.Raw(`
  <p class="muted">No platform is configured. Set <code>PLATFORM_PRIORITY</code> and restart the daemon.</p>`)
	}
	t := p.Pool.Today
	d.F(`
  <p>Today (UTC): %d started, %d done, %d failed.</p>
  <h3>Bots by status</h3>
  <ul class="counts">`, t.Started, t.Done, t.Failed)
	for _, s := range p.Statuses {
		d.Raw(`<li>`)
		d.status(s)
		d.F(` %d</li>`, p.Pool.StatusCounts[s])
	}
	d.Raw(`</ul>
</section>
`)
}

// poolQueue is every waiting bot, with its position and estimated wait.
func (d *doc) poolQueue(p poolData) {
	d.Raw(`
<section aria-labelledby="queue-h" class="card">
  <h2 id="queue-h">Queue</h2>`)
	if len(p.Queue) == 0 {
		d.Raw(`
  <p class="muted">Nobody is waiting: every bot found room.</p>
</section>
`)
		return
	}
	d.F(`
  <p>%d waiting`, len(p.Queue))
	if p.Pool.OldestQueued != nil {
		d.Raw(`; the oldest since `)
		d.time(p.Pool.OldestQueued)
	}
	d.Raw(`.</p>
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">Position</th><th scope="col">Bot</th><th scope="col" class="opt">Platform</th><th scope="col">Priority</th><th scope="col">Queued</th><th scope="col">Estimated wait</th><th scope="col" class="opt">Gives up</th></tr></thead>
    <tbody>`)
	for _, q := range p.Queue {
		d.F(`
      <tr><td>%d</td><td>%s <span class="muted">#%d, user %d</span></td><td class="opt">%s</td>
        <td>%d</td><td>`, q.Position, q.DisplayName, q.BotID, q.UserID, q.MeetingPlatform, q.Priority)
		d.time(q.QueuedAt)
		d.F(`</td><td>%s</td><td class="opt">`, waitText(q.EstimatedWait))
		d.time(q.TimeoutAt)
		d.Raw(`</td></tr>
    `)
	}
	d.Raw(`</tbody>
  </table>
  </div>
</section>
`)
}

// poolSlots is the Coolify platform's reusable containers.
func (d *doc) poolSlots(p poolData) {
	d.Raw(`
<section aria-labelledby="slots-h" class="card">
  <h2 id="slots-h">Slots</h2>`)
	if len(p.Slots) == 0 {
		d.Raw(`
  <p class="muted">No container slots. Slots are the reusable containers of the Coolify platform; the other platforms start a container per bot.</p>
</section>
`)
		return
	}
	d.Raw(`
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">Slot</th><th scope="col">Platform</th><th scope="col">Status</th><th scope="col">Bot</th><th scope="col" class="opt">Last used</th><th scope="col" class="opt">Error</th></tr></thead>
    <tbody>`)
	for _, s := range p.Slots {
		d.F(`
      <tr><td>%s <span class="muted">#%d</span></td><td>%s / %s</td><td>%s</td>
        <td>`, s.Name, s.ID, s.Platform, s.MeetingPlatform, s.Status)
		if s.AssignedBotID != nil {
			d.F(`#%d`, *s.AssignedBotID)
		} else {
			d.Raw(`—`)
		}
		d.Raw(`</td><td class="opt">`)
		d.time(s.LastUsedAt)
		d.F(`</td><td class="opt">%s</td></tr>
    `, or(s.ErrorMessage, "—"))
	}
	d.Raw(`</tbody>
  </table>
  </div>
</section>
`)
}
