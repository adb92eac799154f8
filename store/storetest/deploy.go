package storetest

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var deployTests = []namedTest{
	{"ClaimDeploys", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		a := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		mkBot(t, s, u.ID) // SCHEDULED: never claimed
		claim := func(holder string, now time.Time, botID int64) []store.ClaimedBot {
			got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: holder, Now: now, LeaseFor: time.Minute, BotID: botID, Limit: 10})
			ok(t, err)
			return got
		}
		eq(t, "one bot", len(claim("d1", t0, b.ID)), 1)
		got := claim("d2", t0, 0)
		eq(t, "the other", len(got), 1)
		eq(t, "which", got[0].ID, a.ID)
		eq(t, "all claimed", len(claim("d3", t0.Add(30*time.Second), 0)), 0)
		eq(t, "lease expired", len(claim("d3", t0.Add(2*time.Minute), 0)), 2)
		ok(t, s.ReleaseDeployClaim(t.Context(), a.ID, ""))
		eq(t, "released", len(claim("d4", t0.Add(2*time.Minute), 0)), 1)
		wantErr(t, s.ReleaseDeployClaim(t.Context(), a.ID+100, ""), store.ErrNotFound)
	}},
	{"ClaimDeploysTokens", func(t *testing.T, s store.Store) {
		// A claim stores the agent tokens of the bots no deployer held,
		// in id order; one taken over from an expired claim keeps its
		// token, since a deploy with it may still be under way.
		u := mkUser(t, s)
		a := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		c := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		claim := func(now time.Time, hashes ...string) []store.ClaimedBot {
			got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d1", Now: now, LeaseFor: time.Minute, Limit: 10, TokenHashes: hashes})
			ok(t, err)
			return got
		}
		tokenOf := func(hash string) int64 {
			st, err := s.BotStateByToken(t.Context(), hash)
			ok(t, err)
			return st.ID
		}
		got := claim(t0, "h-1", "h-2")
		eq(t, "claimed", len(got), 3)
		eqStrings(t, "first in id order", []string{got[0].TokenHash, got[1].TokenHash, got[2].TokenHash}, "h-1", "h-2", "")
		eq(t, "stored for a", tokenOf("h-1"), a.ID)
		eq(t, "stored for b", tokenOf("h-2"), b.ID)
		got = claim(t0.Add(2*time.Minute), "h-3", "h-4", "h-5")
		eq(t, "taken over", len(got), 3)
		for _, g := range got {
			eq(t, "no token on a takeover", g.TokenHash, "")
		}
		eq(t, "a keeps its token", tokenOf("h-1"), a.ID)
		wantErr(t, func() error { _, err := s.BotStateByToken(t.Context(), "h-3"); return err }(), store.ErrNotFound)
		ok(t, s.ReleaseDeployClaim(t.Context(), c.ID, ""))
		got = claim(t0.Add(2*time.Minute), "h-6")
		eq(t, "released and claimed again", len(got), 1)
		eq(t, "a new token", got[0].TokenHash, "h-6")
		eq(t, "stored for c", tokenOf("h-6"), c.ID)
		// A bot on a pool slot speaks with its slot's token: it takes
		// none, and the next bot takes the first hash.
		slotted := mkBot(t, s, u.ID, onMeeting("zoom"))
		admitSlot(t, s, slotted.ID)
		d := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		got = claim(t0.Add(2*time.Minute), "h-7", "h-8")
		eq(t, "slot bot and d", len(got), 2)
		eqStrings(t, "the slot's bot first, without", []string{got[0].TokenHash, got[1].TokenHash}, "", "h-7")
		eq(t, "in id order", got[0].ID, slotted.ID)
		eq(t, "stored for d", tokenOf("h-7"), d.ID)
	}},
	{"EndAndAdmit", func(t *testing.T, s store.Store) {
		// Ending a bot admits the queue into what it freed in the same
		// transaction; an end the table refuses admits nothing.
		u := mkUser(t, s)
		one := []store.PlatformLimit{{Name: "k8s", Limit: 1}}
		a := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		b, err := s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, u.ID).ID, Platforms: one, Now: t0})
		ok(t, err)
		eq(t, "queued", b.Queued, true)
		q := store.AdmitQueuedParams{Platforms: one, Now: t0.Add(time.Second)}
		_, _, err = s.EndAndAdmit(t.Context(), store.TransitionParams{BotID: a.ID, To: api.StatusJoiningCall, Now: t0}, q)
		if err == nil {
			t.Fatal("EndAndAdmit made a transition that ends nothing")
		}
		ended, admitted, err := s.EndAndAdmit(t.Context(), store.TransitionParams{BotID: a.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0}, q)
		ok(t, err)
		eq(t, "ended", ended.Status, api.StatusDone)
		eq(t, "admitted", len(admitted), 1)
		eq(t, "the queue's head", admitted[0].ID, b.Bot.ID)
		eq(t, "deploying", admitted[0].Status, api.StatusDeploying)
		got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d2", Now: t0.Add(2 * time.Second), LeaseFor: time.Minute, Limit: 10})
		ok(t, err)
		eq(t, "ready for a deployer", len(got), 1)
		c, err := s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, u.ID).ID, Platforms: one, Now: t0.Add(3 * time.Second)})
		ok(t, err)
		eq(t, "queued behind the full platform", c.Queued, true)
		move(t, s, b.Bot.ID, api.StatusDone) // room for c, which only an admission would give it
		_, _, err = s.EndAndAdmit(t.Context(), store.TransitionParams{BotID: a.ID, To: api.StatusFatal, Reason: api.ReasonCompleted, Now: t0}, q)
		wantErr(t, err, store.ErrConflict)
		still, err := s.GetBot(t.Context(), c.Bot.ID)
		ok(t, err)
		eq(t, "a refused end admits nothing", still.Status, api.StatusQueued)
	}},
	{"DeployClaimHolder", func(t *testing.T, s store.Store) {
		// A deployer whose claim ran out and went to another must not
		// renew, release, fail or record over the new holder's deploy.
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		claim := func(holder string, now time.Time) int {
			got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: holder, Now: now, LeaseFor: time.Minute, BotID: b.ID, Limit: 1})
			ok(t, err)
			return len(got)
		}
		renew := func(holder string, now time.Time) error {
			return s.RenewDeployClaim(t.Context(), store.RenewDeployClaimParams{BotID: b.ID, Holder: holder, Now: now, LeaseFor: time.Minute})
		}
		eq(t, "d1 claims", claim("d1", t0), 1)
		ok(t, renew("d1", t0.Add(50*time.Second)))
		eq(t, "renewed: not claimable at 90s", claim("d2", t0.Add(90*time.Second)), 0)
		eq(t, "expired at 2m: d2 claims", claim("d2", t0.Add(2*time.Minute)), 1)
		wantErr(t, renew("d1", t0.Add(2*time.Minute)), store.ErrConflict)
		wantErr(t, s.ReleaseDeployClaim(t.Context(), b.ID, "d1"), store.ErrConflict)
		wantErr(t, s.RecordDeployFailure(t.Context(), store.DeployFailure{BotID: b.ID, Platform: "k8s", Error: "x", Holder: "d1", Now: t0}), store.ErrConflict)
		wantErr(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "k8s", PlatformID: "job-old", DeployedBy: "d1", Holder: "d1", Now: t0}), store.ErrConflict)
		evs, err := s.ListEvents(t.Context(), b.ID, store.Page{Limit: 100})
		ok(t, err)
		for _, e := range evs {
			if e.Type == "DEPLOY_FAILED" {
				t.Fatal("a failure of a lost claim was recorded")
			}
		}
		ok(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "k8s", PlatformID: "job-new", DeployedBy: "d2", Holder: "d2", Now: t0}))
		got, _ := s.GetBot(t.Context(), b.ID)
		eq(t, "the holder's resource", got.PlatformID, "job-new")
		wantErr(t, renew("d2", t0.Add(2*time.Minute)), store.ErrConflict) // deployed: nothing left to renew
		wantErr(t, s.RenewDeployClaim(t.Context(), store.RenewDeployClaimParams{BotID: b.ID + 100, Holder: "d2", Now: t0}), store.ErrNotFound)
	}},
	{"SetDeployed", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		wantErr(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "ecs", PlatformID: "arn:1", DeployedBy: "d1", Now: t0}), store.ErrConflict)
		ok(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "k8s", PlatformID: "job-1", DeployedBy: "d1", Now: t0}))
		got, _ := s.GetBot(t.Context(), b.ID)
		eq(t, "resource", got.PlatformID, "job-1")
		eq(t, "deployed by", got.DeployedBy, "d1")
		mine, err := s.FindBots(t.Context(), store.BotQuery{DeployedBy: []string{"d1"}})
		ok(t, err)
		eq(t, "found by owner", len(mine), 1)
		theirs, err := s.FindBots(t.Context(), store.BotQuery{DeployedBy: []string{"d2", ""}})
		ok(t, err)
		eq(t, "not another daemon's", len(theirs), 0)
		after, err := s.FindBots(t.Context(), store.BotQuery{DeployedBy: []string{"d1"}, AfterID: b.ID})
		ok(t, err)
		eq(t, "paged past", len(after), 0)
		byID, err := s.FindBots(t.Context(), store.BotQuery{IDs: []int64{b.ID, b.ID + 100}})
		ok(t, err)
		eq(t, "by id", len(byID), 1)
		claimed, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d", Now: t0, LeaseFor: time.Minute})
		ok(t, err)
		eq(t, "deployed bot not claimable", len(claimed), 0)
		c := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		move(t, s, c.ID, api.StatusFatal)
		wantErr(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: c.ID, Platform: "k8s", PlatformID: "job-2", DeployedBy: "d1", Now: t0}), store.ErrConflict)
		wantErr(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: c.ID + 100, Platform: "k8s", PlatformID: "job-2", DeployedBy: "d1", Now: t0}), store.ErrNotFound)
	}},
	{"RunTimes", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		none, err := s.RunTimes(t.Context(), 10)
		ok(t, err)
		eq(t, "none", len(none), 0)
		for i := 1; i <= 3; i++ {
			b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: "completed",
				Now: t0.Add(time.Duration(i) * 10 * time.Minute)})
			ok(t, err)
		}
		all, err := s.RunTimes(t.Context(), 10)
		ok(t, err)
		meet := all[api.MeetingGoogleMeet]
		eq(t, "runs", meet.Count, 3)
		eq(t, "median", meet.P50, 20*time.Minute)
		eq(t, "p90", meet.P90, 30*time.Minute)
		last, err := s.RunTimes(t.Context(), 2)
		ok(t, err)
		eq(t, "median of the last two", last[api.MeetingGoogleMeet].P50, 20*time.Minute)
	}},
}
