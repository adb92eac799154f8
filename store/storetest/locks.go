package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

func tryPull(t *testing.T, s store.Store, key, holder string, now time.Time) store.ImagePull {
	t.Helper()
	p, err := s.TryImagePull(t.Context(), store.ImagePullParams{Key: key, Holder: holder, Now: now, LeaseFor: time.Minute})
	ok(t, err)
	return p
}

// turn asks for a deploy turn of scope "coolify" with at most two at once.
func turn(t *testing.T, s store.Store, entry, holder string, now time.Time) (store.DeployTurn, error) {
	t.Helper()
	return s.AcquireDeployTurn(t.Context(), store.DeployTurnParams{Scope: "coolify", Entry: entry, Holder: holder, Max: 2,
		Now: now, LeaseFor: time.Minute, WaitFor: 10 * time.Minute})
}

func mustTurn(t *testing.T, s store.Store, entry string, now time.Time) store.DeployTurn {
	t.Helper()
	d, err := turn(t, s, entry, "h-"+entry, now)
	ok(t, err)
	return d
}

var locksTests = []namedTest{
	{"ImagePull", func(t *testing.T, s store.Store) {
		const key = "server-1/zoom/ghcr.io/meeboter/meeboter-zoom-bot:latest"
		eq(t, "the first pulls", tryPull(t, s, key, "d1", t0).State, store.PullMine)
		busy := tryPull(t, s, key, "d2", t0)
		eq(t, "the second waits", busy.State, store.PullBusy)
		eq(t, "for d1", busy.Holder, "d1")
		eq(t, "the holder renews", tryPull(t, s, key, "d1", t0.Add(50*time.Second)).State, store.PullMine)
		eq(t, "renewed", tryPull(t, s, key, "d2", t0.Add(70*time.Second)).State, store.PullBusy)
		wantErr(t, s.FinishImagePull(t.Context(), store.FinishImagePullParams{Key: key, Holder: "d2", Pulled: true, Now: t0}), store.ErrConflict)
		ok(t, s.FinishImagePull(t.Context(), store.FinishImagePullParams{Key: key, Holder: "d1", Pulled: true, Now: t0.Add(time.Minute)}))
		done := tryPull(t, s, key, "d2", t0.Add(2*time.Minute))
		eq(t, "then nobody waits", done.State, store.PullDone)
		eqTime(t, "pulled at", done.PulledAt, t0.Add(time.Minute))
		ok(t, s.ForgetImagePull(t.Context(), key))
		eq(t, "forgotten: pull again", tryPull(t, s, key, "d2", t0.Add(3*time.Minute)).State, store.PullMine)
	}},
	{"ImagePullHolderDies", func(t *testing.T, s store.Store) {
		const key = "server-1/zoom/img:1"
		tryPull(t, s, key, "dead", t0)
		eq(t, "a lapsed lease passes on", tryPull(t, s, key, "d2", t0.Add(2*time.Minute)).State, store.PullMine)
		ok(t, s.FinishImagePull(t.Context(), store.FinishImagePullParams{Key: key, Holder: "d2", Pulled: false, Now: t0}))
		eq(t, "a failed pull lets the next caller try", tryPull(t, s, key, "d3", t0.Add(3*time.Minute)).State, store.PullMine)
		eq(t, "other keys are apart", tryPull(t, s, "server-2/zoom/img:1", "d4", t0).State, store.PullMine)
	}},
	{"DeployTurnsFIFO", func(t *testing.T, s store.Store) {
		var got []string
		for i := range 5 {
			d := mustTurn(t, s, fmt.Sprint("t", i), t0)
			got = append(got, fmt.Sprint(d.Granted, d.Position))
		}
		eq(t, "queue", fmt.Sprint(got), "[true 0 true 0 false 1 false 2 false 3]")
		ok(t, s.ReleaseDeployTurn(t.Context(), "coolify", "t0", "h-t0"))
		ok(t, s.ReleaseDeployTurn(t.Context(), "coolify", "t0", "h-t0"))
		// t4 asks first, but t2 is ahead of it.
		d := mustTurn(t, s, "t4", t0.Add(time.Second))
		eq(t, "t4 still waits", fmt.Sprint(d.Granted, d.Position), "false 2")
		eq(t, "t2 got the turn", mustTurn(t, s, "t2", t0.Add(time.Second)).Granted, true)
		list, err := s.ListDeployTurns(t.Context(), "coolify")
		ok(t, err)
		var state []string
		for _, x := range list {
			state = append(state, fmt.Sprintf("%s %v %d", x.Entry, x.Granted, x.Position))
		}
		eq(t, "listed", fmt.Sprint(state), "[t1 true 0 t2 true 0 t3 false 1 t4 false 2]")
		_, err = turn(t, s, "t3", "someone-else", t0.Add(time.Second))
		wantErr(t, err, store.ErrConflict)
	}},
	{"DeployTurnLeases", func(t *testing.T, s store.Store) {
		mustTurn(t, s, "a", t0)
		mustTurn(t, s, "b", t0)
		mustTurn(t, s, "c", t0)
		// a and c renew; b's daemon died holding its turn.
		mustTurn(t, s, "a", t0.Add(50*time.Second))
		mustTurn(t, s, "c", t0.Add(50*time.Second))
		eq(t, "c takes the lapsed turn", mustTurn(t, s, "c", t0.Add(90*time.Second)).Granted, true)
		list, err := s.ListDeployTurns(t.Context(), "coolify")
		ok(t, err)
		eq(t, "b is gone", len(list), 2)
	}},
	{"DeployTurnTimeout", func(t *testing.T, s store.Store) {
		mustTurn(t, s, "a", t0)
		mustTurn(t, s, "b", t0)
		mustTurn(t, s, "c", t0)
		for i := 1; i <= 12; i++ { // every daemon keeps its entries alive
			now := t0.Add(time.Duration(i) * 55 * time.Second)
			mustTurn(t, s, "a", now)
			mustTurn(t, s, "b", now)
			_, err := turn(t, s, "c", "h-c", now)
			if err != nil {
				wantErr(t, err, store.ErrWaitTimeout)
				eq(t, "timed out after its wait", now.Sub(t0) >= 10*time.Minute, true)
				list, err := s.ListDeployTurns(t.Context(), "coolify")
				ok(t, err)
				eq(t, "dropped", len(list), 2)
				return
			}
		}
		t.Fatal("the waiting entry never timed out")
	}},
}
