package kubernetes

import (
	"context"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/meeboter/meeboter/platforms"
)

// Status reports one Job from the informer cache. A Job missing from the
// cache is looked up on the API server before answering ErrNotFound: the
// cache may not have synced yet, or may not have seen a Job created a
// moment ago, and a false "not found" would read as a vanished bot.
func (p *Platform) Status(ctx context.Context, id string) (platforms.Resource, error) {
	if !validName(id) {
		return platforms.Resource{}, fmt.Errorf("status %q: %w", id, platforms.ErrNotFound)
	}
	if p.cache.synced() {
		if job := p.cache.job(p.cfg.Namespace, id); job != nil {
			return resourceOf(job, p.cache.podsOf(p.cfg.Namespace, id)), nil
		}
	}
	job, err := p.api.getJob(ctx, p.cfg.Namespace, id)
	if apierrors.IsNotFound(err) || err == nil && job.Labels[LabelManagedBy] != ManagedByValue {
		return platforms.Resource{}, fmt.Errorf("status %s: %w", id, platforms.ErrNotFound)
	}
	if err != nil {
		return platforms.Resource{}, fmt.Errorf("status %s: %w", id, err)
	}
	pods, err := p.listPods(ctx, batchv1.JobNameLabel+"="+id)
	if err != nil {
		return platforms.Resource{}, fmt.Errorf("status %s: %w", id, err)
	}
	return resourceOf(job, pods), nil
}

// validName reports whether id could name a Job. Ids from other platforms
// (a process id, an ARN) are not Job names, and asking the API server about
// them fails with a request error rather than NotFound.
func validName(id string) bool {
	return len(validation.IsDNS1123Subdomain(id)) == 0
}

// List returns every meeboter Job in the namespace, read page by page from
// the API server rather than the cache, because reconciliation needs the
// truth even while the cache is still filling.
func (p *Platform) List(ctx context.Context) ([]platforms.Resource, error) {
	var out []platforms.Resource
	opts := metav1.ListOptions{LabelSelector: managedSelector, Limit: p.pageSize}
	for {
		page, err := p.api.listJobs(ctx, p.cfg.Namespace, opts)
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		for i := range page.Items {
			job := &page.Items[i]
			out = append(out, resourceOf(job, p.cachedPods(job.Name)))
		}
		if opts.Continue = page.Continue; opts.Continue == "" {
			return out, nil
		}
	}
}

// cachedPods returns the pods of a Job when the cache has synced. Before
// that, List reports state from the Job alone rather than make one pod
// request per Job.
func (p *Platform) cachedPods(job string) []*corev1.Pod {
	if !p.cache.synced() {
		return nil
	}
	return p.cache.podsOf(p.cfg.Namespace, job)
}

// listPods lists the pods matching selector, page by page.
func (p *Platform) listPods(ctx context.Context, selector string) ([]*corev1.Pod, error) {
	var pods []*corev1.Pod
	opts := metav1.ListOptions{LabelSelector: selector, Limit: p.pageSize}
	for {
		page, err := p.api.listPods(ctx, p.cfg.Namespace, opts)
		if err != nil {
			return nil, fmt.Errorf("list pods: %w", err)
		}
		for i := range page.Items {
			pods = append(pods, &page.Items[i])
		}
		if opts.Continue = page.Continue; opts.Continue == "" {
			return pods, nil
		}
	}
}
