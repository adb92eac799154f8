package lifecycle

import (
	"context"
	"sync"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// claim is the deploy claim an admission on this daemon takes for this
// deployer, so the bots it admits are deployed without a transaction to
// claim them first: none while the deployer is not running or is paused,
// and those bots wait for any deployer instead.
// Bots on a platform the deployer starts itself (not a pooled slot) are
// also stored with their agent token, so the deploy has nothing to write
// before the platform call.
func (d *Deployer) claim(now time.Time) store.DeployClaim {
	if !d.running.Load() || d.paused.Load() {
		return store.DeployClaim{}
	}
	return store.DeployClaim{Holder: d.holder(), Until: now.Add(d.lease), Token: d.newToken}
}

// newToken makes the agent token of a bot being admitted, keeping it for
// the hand-off: the hash goes into the admission's transaction.
func (d *Deployer) newToken(botID int64, platform string) string {
	if platform == platforms.Coolify && d.s.pool != nil {
		return "" // a slot's deploy makes its own
	}
	token := domain.NewSecret(domain.BotTokenPrefix)
	d.mu.Lock()
	d.tokens[botID] = madeToken{token: token, at: time.Now()}
	d.mu.Unlock()
	return domain.HashSecret(token)
}

// madeToken is a token made for an admission, until its bot is handed
// over (or the admission rolled back, and the token is forgotten).
type madeToken struct {
	token string
	at    time.Time
}

// hand gives the deployer bots an admission claimed with c.
func (d *Deployer) hand(c store.DeployClaim, bots ...store.Bot) {
	if c.Holder == "" {
		d.Kick()
		return
	}
	d.mu.Lock()
	for _, b := range bots {
		t := d.tokens[b.ID]
		delete(d.tokens, b.ID)
		d.ready = append(d.ready, readyBot{bot: b, until: c.Until, token: t.token})
	}
	for id, t := range d.tokens { // made for admissions that rolled back
		if time.Since(t.at) > d.lease {
			delete(d.tokens, id)
		}
	}
	d.mu.Unlock()
	d.poke()
}

// takeReady empties the bots handed to the deployer.
func (d *Deployer) takeReady() []readyBot {
	d.mu.Lock()
	defer d.mu.Unlock()
	ready := d.ready
	d.ready = nil
	return ready
}

// deployReady starts the bots handed to the deployer. A claim past half
// its lease (the deployer was busy) is renewed first, so it cannot run out
// under the deploy; one another deployer took meanwhile is left to it.
func (d *Deployer) deployReady(ctx context.Context, wg *sync.WaitGroup) {
	for _, r := range d.takeReady() {
		now := d.s.now()
		if r.until.Sub(now) < d.lease/2 {
			err := d.s.store.RenewDeployClaim(ctx, store.RenewDeployClaimParams{BotID: r.bot.ID, Holder: d.holder(), Now: now, LeaseFor: d.lease})
			if err != nil {
				d.s.log.Debug("a handed deploy claim could not be renewed", "bot_id", r.bot.ID, "err", err)
				continue
			}
		}
		d.start(ctx, wg, r.bot, r.token)
	}
}

// giveBack releases the claims of bots handed to a deployer that will not
// deploy them (paused, or stopping), so another deployer takes them now
// instead of when the claims run out.
func (d *Deployer) giveBack(ctx context.Context) {
	for _, r := range d.takeReady() {
		if err := d.s.store.ReleaseDeployClaim(ctx, r.bot.ID, d.holder()); err != nil {
			d.s.log.Debug("give back a handed deploy claim", "bot_id", r.bot.ID, "err", err)
		}
	}
}
