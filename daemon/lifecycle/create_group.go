package lifecycle

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/meeboter/meeboter/store"
)

// maxGroup bounds a group of creates. PostgreSQL tracks a transaction's
// first 64 subtransactions cheaply (each create's savepoint is one):
// past that every other session's snapshot pays for them.
const maxGroup = 32

// groupTimeout bounds a group's transaction, which runs without the
// leading request's cancellation: its members wait for it too.
const groupTimeout = 30 * time.Second

// createGroup lets concurrent creates of bots due now share one admission
// transaction. The admission lock lets one transaction through at a time,
// so under a burst each create would wait for every create before it to
// commit; instead, the creates that arrive while a group runs wait
// together, and the first of them runs the next group for all (at most
// maxGroup). A create that finds none running runs its own at once: alone,
// it waits for nobody.
type createGroup struct {
	mu      sync.Mutex
	waiting []*createJob
	busy    bool // a group runs, or its leader is being woken
}

// createJob is one create waiting in a group.
type createJob struct {
	item  store.CreateAdmit
	out   store.CreateAdmitted
	err   error // the group's transaction failed as a whole
	alone bool  // the group was this job alone
	// wake hears true when the job's group is done, false when the job
	// is to lead the next group.
	wake chan bool
}

// run stores and admits item with whatever creates wait beside it.
func (g *createGroup) run(ctx context.Context, st store.Store, item store.CreateAdmit) (store.CreateAdmitted, error) {
	j := &createJob{item: item, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.waiting = append(g.waiting, j)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if lead || !<-j.wake {
		g.lead(ctx, st)
	}
	return j.result(ctx, st)
}

// lead runs the group at the head of the line, whose first job is the
// leader's own. The lead passes on once the group's statements are done,
// before its commit: the next group begins and waits for the admission
// lock while this one commits, so the lock is not left idle between
// them. The group's members hear their outcome after the commit.
func (g *createGroup) lead(ctx context.Context, st store.Store) {
	g.mu.Lock()
	n := min(len(g.waiting), maxGroup)
	group := g.waiting[:n:n]
	g.waiting = append([]*createJob(nil), g.waiting[n:]...)
	g.mu.Unlock()

	// Whatever happens to the group's transaction, even a panic in it,
	// its members are woken and the lead passes on: a create never waits
	// for a group that will not finish.
	ran, passed := false, false
	pass := func() {
		if !passed {
			passed = true
			g.passLead()
		}
	}
	defer func() {
		if !ran {
			for _, j := range group {
				j.err = errGroupAborted
			}
		}
		pass()
		for _, j := range group[1:] {
			j.wake <- true
		}
	}()
	items := make([]store.CreateAdmit, n)
	for i, j := range group {
		items[i] = j.item
	}
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	outs, err := st.CreateAndAdmit(gctx, items, pass)
	for i, j := range group {
		j.err, j.alone = err, n == 1
		if err == nil {
			j.out = outs[i]
		}
	}
	ran = true
}

// errGroupAborted is the outcome of a group whose transaction never
// returned (it panicked): its members try again alone.
var errGroupAborted = errors.New("lifecycle: the group's transaction was aborted")

// passLead hands the lead to the next waiting job, if any; with none,
// the next create to arrive leads.
func (g *createGroup) passLead() {
	g.mu.Lock()
	var next *createJob
	if len(g.waiting) > 0 {
		next = g.waiting[0]
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	if next != nil {
		next.wake <- false
	}
}

// result is the job's outcome. When its group's transaction failed as a
// whole (a commit refused, a lost connection), nothing of the group was
// stored and the create is tried again alone, so that what failed one
// group cannot fail all of its members.
func (j *createJob) result(ctx context.Context, st store.Store) (store.CreateAdmitted, error) {
	if j.err == nil || j.alone {
		return j.out, j.err
	}
	outs, err := st.CreateAndAdmit(ctx, []store.CreateAdmit{j.item}, nil)
	if err != nil {
		return store.CreateAdmitted{}, err
	}
	return outs[0], nil
}
