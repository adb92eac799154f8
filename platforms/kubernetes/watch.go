package kubernetes

import (
	"context"
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/meeboter/meeboter/platforms"
)

// Watch calls fn whenever the state, reason or detail of a bot's Job
// changes, as the informers see Jobs and pods change. It starts by
// reporting every existing Job (the informers replay them), so a daemon
// that starts watching late misses nothing. Calls to fn are serialised.
// A deleted Job is not reported: it was stopped on purpose, or the daemon
// finds it missing when it reconciles with List.
func (p *Platform) Watch(ctx context.Context, fn func(platforms.Resource)) error {
	p.cache.start()
	w := &watcher{p: p, fn: fn, last: map[string]platforms.Resource{}}
	jobReg, err := p.cache.jobs.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    w.onJob,
		UpdateFunc: func(_, obj any) { w.onJob(obj) },
		DeleteFunc: w.onJobDeleted,
	})
	if err != nil {
		return err
	}
	defer func() { _ = p.cache.jobs.RemoveEventHandler(jobReg) }()
	podReg, err := p.cache.pods.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    w.onPod,
		UpdateFunc: func(_, obj any) { w.onPod(obj) },
		DeleteFunc: w.onPod,
	})
	if err != nil {
		return err
	}
	defer func() { _ = p.cache.pods.RemoveEventHandler(podReg) }()
	<-ctx.Done()
	return nil
}

// watcher turns informer events into calls of one Watch's fn, dropping
// events that do not change what the daemon would see (a pod's IP, a
// heartbeat of the kubelet).
type watcher struct {
	p    *Platform
	fn   func(platforms.Resource)
	mu   sync.Mutex
	last map[string]platforms.Resource
}

func (w *watcher) onJob(obj any) {
	if job, ok := obj.(*batchv1.Job); ok {
		w.report(job.Name)
	}
}

func (w *watcher) onPod(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	names, _ := podJobIndex(pod)
	for _, name := range names {
		w.report(name)
	}
}

func (w *watcher) onJobDeleted(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	if job, ok := obj.(*batchv1.Job); ok {
		w.mu.Lock()
		delete(w.last, job.Name)
		w.mu.Unlock()
	}
}

// report computes the Job's resource from the cache and passes it on if
// it changed since the last report.
func (w *watcher) report(name string) {
	ns := w.p.cfg.Namespace
	job := w.p.cache.job(ns, name)
	if job == nil {
		return
	}
	r := resourceOf(job, w.p.cache.podsOf(ns, name))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.last[name] == r {
		return
	}
	w.last[name] = r
	w.fn(r)
}
