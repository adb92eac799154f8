package ecs

import (
	"context"
	"errors"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// TestList_Paginates lists 250 bots' tasks, some stopped, among a foreign
// task: every page of both listings is read, tasks are described 100 at a
// time, and only meeboter's come back (W44: the original read one page).
func TestList_Paginates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arns := b.deployMany(t, 1, 250)
	b.foreignTask(t)
	stopped := []int64{3, 77, 250}
	for _, id := range stopped {
		if err := b.p.Stop(ctx(t), arns[id]); err != nil {
			t.Fatalf("Stop(bot %d): %v", id, err)
		}
	}
	if err := b.srv.SetState(arns[5], ecstest.ImagePullFailed()); err != nil {
		t.Fatal(err)
	}
	lists, describes := b.srv.Calls("ListTasks"), b.srv.Calls("DescribeTasks")
	got, err := b.p.List(ctx(t))
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	// RUNNING: 246 bots' tasks and the foreign one, in 3 pages; STOPPED:
	// the 3 stopped and the one that failed, in 1. Then 251 tasks to
	// describe, in 3 calls.
	if n := b.srv.Calls("ListTasks") - lists; n != 4 {
		t.Errorf("%d ListTasks calls, want 3 pages of running tasks and 1 of stopped", n)
	}
	if n := b.srv.Calls("DescribeTasks") - describes; n != 3 {
		t.Errorf("%d DescribeTasks calls for 251 tasks, want 3", n)
	}
	byBot := map[int64]platforms.Resource{}
	for _, r := range got {
		if _, dup := byBot[r.BotID]; dup {
			t.Errorf("bot %d listed twice", r.BotID)
		}
		byBot[r.BotID] = r
	}
	if len(got) != len(arns) {
		t.Fatalf("List returned %d tasks, want the %d bots' only", len(got), len(arns))
	}
	for id, arn := range arns {
		if byBot[id].ID != arn {
			t.Errorf("bot %d listed as %+v, want task %s", id, byBot[id], arn)
		}
	}
	for _, id := range stopped {
		if r := byBot[id]; r.State != platforms.StateFailed || r.Reason != ReasonTaskStopped {
			t.Errorf("stopped bot %d listed as %+v, want FAILED task_stopped", id, r)
		}
	}
	if r := byBot[5]; r.Reason != ReasonImagePullFailed {
		t.Errorf("bot 5 listed as %+v, want image_pull_failed", r)
	}
}

func TestList_Empty(t *testing.T) {
	t.Parallel()
	b := setup(t)
	got, err := b.p.List(ctx(t))
	if err != nil || len(got) != 0 {
		t.Fatalf("List of an empty cluster: %v, %v", got, err)
	}
}

// repeatingTokens is an ECS client whose ListTasks hands back, after the
// first page, the token it was given, as a broken server or proxy might.
type repeatingTokens struct {
	API
	lists int
}

func (r *repeatingTokens) ListTasks(ctx context.Context, in *ecsapi.ListTasksInput) (*ecsapi.ListTasksOutput, error) {
	r.lists++
	if r.lists > 10 {
		return nil, errors.New("the same page asked for again and again")
	}
	if in.NextToken != "" {
		return &ecsapi.ListTasksOutput{NextToken: in.NextToken}, nil
	}
	out, err := r.API.ListTasks(ctx, in)
	if err == nil {
		out.NextToken = "page-2"
	}
	return out, err
}

// TestList_StopsOnARepeatedToken checks that a listing whose next token
// is the one just sent ends instead of asking for the same page for ever.
func TestList_StopsOnARepeatedToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.deploy(t, botSpec(1, "zoom"))
	api := &repeatingTokens{API: b.client}
	p, err := NewWithAPI(b.p.cfg, api, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.List(ctx(t)); err != nil {
		t.Fatalf("List: %v", err)
	}
	if api.lists != 4 {
		t.Fatalf("%d ListTasks calls, want 2 for each desired status (the second repeating its token)", api.lists)
	}
}
