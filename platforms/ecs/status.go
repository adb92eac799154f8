package ecs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// Status reports one task, or ErrNotFound when ECS no longer knows it (it
// forgets stopped tasks about an hour after they stop) or it is not one of
// meeboter's tasks in this cluster.
func (p *Platform) Status(ctx context.Context, id string) (platforms.Resource, error) {
	rs, err := p.Statuses(ctx, []string{id})
	if err != nil {
		return platforms.Resource{}, fmt.Errorf("status %s: %w", id, err)
	}
	r, ok := rs[id]
	if !ok {
		return platforms.Resource{}, fmt.Errorf("status %s: %w", id, platforms.ErrNotFound)
	}
	return r, nil
}

// Statuses reports many tasks with one DescribeTasks call per 100, keyed by
// the ids as given. An id ECS answers MISSING, one that is not a task ARN
// of this cluster, and a task that is not meeboter's are absent. Any other
// failure is an error, because the answer would then be incomplete and the
// daemon must not take an absent bot for a vanished one.
func (p *Platform) Statuses(ctx context.Context, ids []string) (map[string]platforms.Resource, error) {
	byTaskID := map[string]string{} // task id -> the caller's id
	var arns []string
	for _, id := range ids {
		ref, ok := p.cfg.ownTask(id)
		if !ok || byTaskID[ref.ID] != "" {
			continue
		}
		byTaskID[ref.ID] = id
		arns = append(arns, id)
	}
	out := make(map[string]platforms.Resource, len(arns))
	for chunk := range slices.Chunk(arns, maxDescribe) {
		tasks, err := p.describe(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			r, ok := p.cfg.resourceOf(t)
			ref, parsed := parseTaskARN(r.ID)
			if !ok || !parsed || byTaskID[ref.ID] == "" {
				continue
			}
			r.ID = byTaskID[ref.ID]
			out[r.ID] = r
		}
	}
	return out, nil
}

// describe calls DescribeTasks for at most maxDescribe ARNs, with tags,
// which ECS leaves out unless asked. MISSING failures are dropped: the
// task is gone, and the caller reports it absent.
func (p *Platform) describe(ctx context.Context, arns []string) ([]ecsapi.Task, error) {
	out, err := p.api.DescribeTasks(ctx, &ecsapi.DescribeTasksInput{
		Cluster: p.cfg.Cluster,
		Tasks:   arns,
		Include: []string{ecsapi.IncludeTags},
	})
	if err != nil {
		return nil, fmt.Errorf("describe tasks: %w", err)
	}
	var other []string
	for _, f := range out.Failures {
		if f.Reason != "MISSING" {
			other = append(other, fmt.Sprintf("%s: %s %s", f.Arn, f.Reason, f.Detail))
		}
	}
	if len(other) > 0 {
		return nil, fmt.Errorf("describe tasks: %s", strings.Join(other, "; "))
	}
	return out.Tasks, nil
}
