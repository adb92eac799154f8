package ecs

import (
	"errors"
	"sync"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// deployMany deploys bots firstID.. firstID+n-1 from a few goroutines and
// returns their task ARNs by bot id.
func (b *bundle) deployMany(tb testing.TB, firstID int64, n int) map[int64]string {
	tb.Helper()
	var (
		mu   sync.Mutex
		arns = map[int64]string{}
		wg   sync.WaitGroup
		ids  = make(chan int64)
	)
	for range 8 {
		wg.Go(func() {
			for id := range ids {
				arn, err := b.p.Deploy(ctx(tb), botSpec(id, "google-meet"))
				if err != nil {
					tb.Errorf("Deploy(bot %d): %v", id, err)
					continue
				}
				mu.Lock()
				arns[id] = arn
				mu.Unlock()
			}
		})
	}
	for i := range int64(n) {
		ids <- firstID + i
	}
	close(ids)
	wg.Wait()
	if tb.Failed() {
		tb.FailNow()
	}
	return arns
}

// foreignTask starts a task in the bundle's cluster the way another
// workload would: no meeboter tags, no meeboter startedBy.
func (b *bundle) foreignTask(tb testing.TB) string {
	tb.Helper()
	out, err := b.client.RunTask(ctx(tb), &ecsapi.RunTaskInput{
		Cluster:        b.cluster,
		TaskDefinition: b.p.cfg.TaskDefinitions["zoom"],
		StartedBy:      "nightly-report",
	})
	if err != nil || len(out.Tasks) != 1 {
		tb.Fatalf("RunTask of a foreign task: %v", err)
	}
	return out.Tasks[0].TaskArn
}

// TestStatuses_Batch checks that Statuses describes 150 tasks in two calls,
// reports each state, and leaves out what is not a meeboter task here.
func TestStatuses_Batch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arns := b.deployMany(t, 1, 150)
	states := map[int64]ecstest.State{2: ecstest.Running(), 3: ecstest.OOMKilled(), 4: ecstest.Succeeded()}
	for id, st := range states {
		if err := b.srv.SetState(arns[id], st); err != nil {
			t.Fatal(err)
		}
	}
	foreign := b.foreignTask(t)
	ids := []string{b.unknownARN(), "not-an-arn", foreign, "arn:aws:ecs:us-east-1:000000000000:task/other-cluster/0123abcd"}
	for _, arn := range arns {
		ids = append(ids, arn, arn) // duplicates are asked once
	}
	before := b.srv.Calls("DescribeTasks")
	got, err := b.p.Statuses(ctx(t), ids)
	if err != nil {
		t.Fatalf("Statuses: %v", err)
	}
	if n := b.srv.Calls("DescribeTasks") - before; n != 2 {
		t.Errorf("%d DescribeTasks calls for 150 tasks, want 2", n)
	}
	if len(got) != len(arns) {
		t.Fatalf("Statuses reported %d tasks, want the %d bots' only", len(got), len(arns))
	}
	want := map[int64]platforms.ResourceState{1: platforms.StatePending, 2: platforms.StateRunning, 3: platforms.StateFailed, 4: platforms.StateSucceeded}
	for id, arn := range arns {
		r := got[arn]
		if r.ID != arn || r.BotID != id || want[id] != "" && r.State != want[id] {
			t.Errorf("Statuses[%s] = %+v, want bot %d in state %s", arn, r, id, want[id])
		}
	}
	if r := got[arns[3]]; r.Reason != ReasonOOMKilled {
		t.Errorf("OOM-killed task reads %+v", r)
	}
}

// TestStatus_Vanished checks a task ECS forgot: DescribeTasks puts it in
// failures[] as MISSING, which is ErrNotFound, and stopping it is done.
func TestStatus_Vanished(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.deploy(t, botSpec(91, "google-meet"))
	if err := b.srv.Vanish(arn); err != nil {
		t.Fatal(err)
	}
	if _, err := b.p.Status(ctx(t), arn); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status of a vanished task: %v, want ErrNotFound", err)
	}
	if got, err := b.p.Statuses(ctx(t), []string{arn}); err != nil || len(got) != 0 {
		t.Fatalf("Statuses of a vanished task: %v, %v; want it absent", got, err)
	}
	if err := b.p.Stop(ctx(t), arn); err != nil {
		t.Fatalf("Stop of a vanished task: %v", err)
	}
}

// TestStatuses_Incomplete checks that a failure other than MISSING makes
// the answer an error: the daemon must not take that bot for vanished.
func TestStatuses_Incomplete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arns := b.deployMany(t, 101, 2)
	b.srv.FailDescribe(arns[102], "INTERNAL_ERROR")
	if got, err := b.p.Statuses(ctx(t), []string{arns[101], arns[102]}); err == nil {
		t.Fatalf("Statuses with a failed task = %v, want an error", got)
	}
	if _, err := b.p.Status(ctx(t), arns[102]); err == nil || errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status of a task ECS failed to describe: %v; want an error that is not ErrNotFound", err)
	}
}

func TestStatus_ThrottlingRetried(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.deploy(t, botSpec(111, "google-meet"))
	b.srv.Throttle("DescribeTasks", 1)
	if r, err := b.p.Status(ctx(t), arn); err != nil || r.BotID != 111 {
		t.Fatalf("Status after a throttled call: %+v, %v", r, err)
	}
}

// TestStatus_ForeignTask checks that a task meeboter did not start reads
// as absent, so the daemon never adopts another workload's task.
func TestStatus_ForeignTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	foreign := b.foreignTask(t)
	if _, err := b.p.Status(ctx(t), foreign); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status of a foreign task: %v, want ErrNotFound", err)
	}
}
