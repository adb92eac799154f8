package kubernetes

import (
	"context"
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
)

// managedSelector selects the objects this package created.
const managedSelector = LabelManagedBy + "=" + ManagedByValue

// byJob indexes pods by the name of the Job that owns them.
const byJob = "job"

// jobCache is the informer-backed view of meeboter's Jobs and pods in one
// namespace. It starts on first use, so building a Platform (in the CLI,
// or in a daemon that never deploys to Kubernetes) opens no watches.
//
// The informers are built directly on the platform's kubeAPI rather than
// through client-go's informer factory, which links an informer, a lister
// and a typed client for every API group.
type jobCache struct {
	jobs cache.SharedIndexInformer
	pods cache.SharedIndexInformer

	once    sync.Once
	cancel  context.CancelFunc
	running sync.WaitGroup
}

func newJobCache(api kubeAPI, namespace string) *jobCache {
	return &jobCache{
		jobs: cache.NewSharedIndexInformerWithOptions(
			listWatch(api, namespace, api.listJobs, api.watchJobs), &batchv1.Job{},
			cache.SharedIndexInformerOptions{}),
		pods: cache.NewSharedIndexInformerWithOptions(
			listWatch(api, namespace, api.listPods, api.watchPods), &corev1.Pod{},
			cache.SharedIndexInformerOptions{Indexers: cache.Indexers{byJob: podJobIndex}}),
	}
}

// listWatch lists and watches one resource of meeboter's in namespace ns.
// The api is also asked whether it can stream the initial list in a
// watch (the fake clientset cannot); the reflector falls back to a list
// otherwise.
func listWatch[L runtime.Object](
	api kubeAPI, ns string,
	list func(context.Context, string, metav1.ListOptions) (L, error),
	watchFn func(context.Context, string, metav1.ListOptions) (watch.Interface, error),
) cache.ListerWatcher {
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.LabelSelector = managedSelector
			return list(ctx, ns, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.LabelSelector = managedSelector
			return watchFn(ctx, ns, o)
		},
	}
	return cache.ToListWatcherWithWatchListSemantics(lw, api)
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
		for _, inf := range []cache.SharedIndexInformer{c.jobs, c.pods} {
			c.running.Go(func() { inf.RunWithContext(ctx) })
		}
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
	obj, ok, err := c.jobs.GetIndexer().GetByKey(namespace + "/" + name)
	if err != nil || !ok {
		return nil
	}
	job, _ := obj.(*batchv1.Job)
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

// close stops the informers and waits for them to end. Safe before start
// and twice.
func (c *jobCache) close() {
	c.once.Do(func() {}) // a later start must not open watches
	if c.cancel != nil {
		c.cancel()
	}
	c.running.Wait()
}
