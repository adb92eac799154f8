package ecs

import (
	"context"
	"fmt"
	"slices"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// listOrder is the order List asks for tasks by desired status. RUNNING
// comes first: a task stopping between the two listings then shows up in
// the second, while the other order could miss it in both, and the daemon
// would take its bot's resource for vanished.
var listOrder = []string{"RUNNING", "STOPPED"}

// List returns every meeboter task the cluster knows, running or stopped
// (ECS keeps stopped tasks for about an hour, and their stop reasons are
// how the daemon learns why a bot's task ended). ListTasks cannot filter
// by a startedBy prefix, so List reads every page of the cluster's tasks
// and describes them 100 at a time, keeping those tagged or started by
// meeboter.
func (p *Platform) List(ctx context.Context) ([]platforms.Resource, error) {
	var arns []string
	for _, desired := range listOrder {
		page, err := p.listTasks(ctx, desired)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page...)
	}
	slices.Sort(arns)
	arns = slices.Compact(arns)
	var out []platforms.Resource
	for chunk := range slices.Chunk(arns, maxDescribe) {
		tasks, err := p.describe(ctx, chunk)
		if err != nil {
			return nil, fmt.Errorf("list tasks: %w", err)
		}
		for _, t := range tasks {
			if r, ok := p.cfg.resourceOf(t); ok {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// listTasks reads every page of the cluster's task ARNs with one desired
// status. The original server read only the first page, so above 100 tasks
// it lost track of bots.
func (p *Platform) listTasks(ctx context.Context, desired string) ([]string, error) {
	in := &ecsapi.ListTasksInput{Cluster: p.cfg.Cluster, DesiredStatus: desired, MaxResults: maxPage}
	var arns []string
	for {
		page, err := p.api.ListTasks(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list %s tasks: %w", desired, err)
		}
		arns = append(arns, page.TaskArns...)
		// A server that hands back the token it was given would
		// otherwise keep List going for ever.
		if page.NextToken == "" || page.NextToken == in.NextToken {
			return arns, nil
		}
		in.NextToken = page.NextToken
	}
}
