package kubernetes

import (
	"context"
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	batchlisters "k8s.io/client-go/listers/batch/v1"
	"k8s.io/client-go/tools/cache"
)

// managedSelector selects the objects this package created.
const managedSelector = LabelManagedBy + "=" + ManagedByValue

// byJob indexes pods by the name of the Job that owns them.
const byJob = "job"

// jobCache is the informer-backed view of meeboter's Jobs and pods in one
// namespace. It starts on first use, so building a Platform (in the CLI,
// or in a daemon that never deploys to Kubernetes) opens no watches.
type jobCache struct {
	factory informers.SharedInformerFactory
	jobs    cache.SharedIndexInformer
	pods    cache.SharedIndexInformer
	lister  batchlisters.JobLister

	once   sync.Once
	cancel context.CancelFunc
}

func newJobCache(cs kubernetes.Interface, namespace string) *jobCache {
	factory := informers.NewSharedInformerFactoryWithOptions(cs, 0,
		informers.WithNamespace(namespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.LabelSelector = managedSelector
		}))
	c := &jobCache{
		factory: factory,
		jobs:    factory.Batch().V1().Jobs().Informer(),
		pods:    factory.Core().V1().Pods().Informer(),
		lister:  factory.Batch().V1().Jobs().Lister(),
	}
	// AddIndexers fails only once the informer has started, which it has
	// not: the error cannot happen here.
	_ = c.pods.AddIndexers(cache.Indexers{byJob: podJobIndex})
	return c
}

// podJobIndex names the Job owning a pod: its controller reference, or the
// job-name label the Job controller sets.
func podJobIndex(obj any) ([]string, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, nil
	}
	if ref := metav1.GetControllerOf(pod); ref != nil && ref.Kind == "Job" {
		return []string{ref.Name}, nil
	}
	if name := pod.Labels[batchv1.JobNameLabel]; name != "" {
		return []string{name}, nil
	}
	if name := pod.Labels["job-name"]; name != "" {
		return []string{name}, nil
	}
	return nil, nil
}

// start runs the informers until close; later calls do nothing.
func (c *jobCache) start() {
	c.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		c.cancel = cancel
		c.factory.Start(ctx.Done())
	})
}

// synced reports whether both informers hold a full list, after which
// the cache can answer "not found" without asking the API server.
func (c *jobCache) synced() bool {
	c.start()
	return c.jobs.HasSynced() && c.pods.HasSynced()
}

// job returns the cached Job, or nil.
func (c *jobCache) job(namespace, name string) *batchv1.Job {
	job, err := c.lister.Jobs(namespace).Get(name)
	if err != nil {
		return nil
	}
	return job
}

// podsOf returns the cached pods of a Job.
func (c *jobCache) podsOf(namespace, job string) []*corev1.Pod {
	objs, _ := c.pods.GetIndexer().ByIndex(byJob, job)
	pods := make([]*corev1.Pod, 0, len(objs))
	for _, o := range objs {
		if pod, ok := o.(*corev1.Pod); ok && pod.Namespace == namespace {
			pods = append(pods, pod)
		}
	}
	return pods
}

// close stops the informers. Safe before start and twice.
func (c *jobCache) close() {
	c.once.Do(func() {}) // a later start must not open watches
	if c.cancel != nil {
		c.cancel()
	}
	c.factory.Shutdown()
}
