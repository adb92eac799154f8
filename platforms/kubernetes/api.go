package kubernetes

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
)

// kubeAPI is every call the platform makes to the API server. Client
// implements it over HTTP; the package's tests also run the platform on
// client-go's fake clientset through it.
type kubeAPI interface {
	createSecret(ctx context.Context, ns string, secret *corev1.Secret) error
	patchSecret(ctx context.Context, ns, name string, mergePatch []byte) error
	deleteSecret(ctx context.Context, ns, name string) error
	createJob(ctx context.Context, ns string, job *batchv1.Job) (*batchv1.Job, error)
	getJob(ctx context.Context, ns, name string) (*batchv1.Job, error)
	deleteJob(ctx context.Context, ns, name string, opts metav1.DeleteOptions) error
	listJobs(ctx context.Context, ns string, opts metav1.ListOptions) (*batchv1.JobList, error)
	watchJobs(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error)
	listPods(ctx context.Context, ns string, opts metav1.ListOptions) (*corev1.PodList, error)
	watchPods(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error)
}

var _ kubeAPI = (*Client)(nil)

// Every request asks for protobuf, as client-go's generated clients do
// for built-in types: it is smaller on the wire and cheaper to decode
// than JSON, which matters for the watches. Errors come back as
// *apierrors.StatusError, so apierrors.IsNotFound works on them.

func (c *Client) createSecret(ctx context.Context, ns string, secret *corev1.Secret) error {
	return c.core.Post().UseProtobufAsDefault().Namespace(ns).Resource("secrets").
		Body(secret).Do(ctx).Error()
}

func (c *Client) patchSecret(ctx context.Context, ns, name string, mergePatch []byte) error {
	return c.core.Patch(types.MergePatchType).UseProtobufAsDefault().Namespace(ns).Resource("secrets").
		Name(name).Body(mergePatch).Do(ctx).Error()
}

func (c *Client) deleteSecret(ctx context.Context, ns, name string) error {
	return c.core.Delete().UseProtobufAsDefault().Namespace(ns).Resource("secrets").
		Name(name).Do(ctx).Error()
}

func (c *Client) createJob(ctx context.Context, ns string, job *batchv1.Job) (*batchv1.Job, error) {
	out := &batchv1.Job{}
	err := c.batch.Post().UseProtobufAsDefault().Namespace(ns).Resource("jobs").
		Body(job).Do(ctx).Into(out)
	return out, err
}

func (c *Client) getJob(ctx context.Context, ns, name string) (*batchv1.Job, error) {
	out := &batchv1.Job{}
	err := c.batch.Get().UseProtobufAsDefault().Namespace(ns).Resource("jobs").
		Name(name).Do(ctx).Into(out)
	return out, err
}

func (c *Client) deleteJob(ctx context.Context, ns, name string, opts metav1.DeleteOptions) error {
	return c.batch.Delete().UseProtobufAsDefault().Namespace(ns).Resource("jobs").
		Name(name).Body(&opts).Do(ctx).Error()
}

func (c *Client) listJobs(ctx context.Context, ns string, opts metav1.ListOptions) (*batchv1.JobList, error) {
	out := &batchv1.JobList{}
	return out, c.list(ctx, c.batch, ns, "jobs", opts).Into(out)
}

func (c *Client) listPods(ctx context.Context, ns string, opts metav1.ListOptions) (*corev1.PodList, error) {
	out := &corev1.PodList{}
	return out, c.list(ctx, c.core, ns, "pods", opts).Into(out)
}

func (c *Client) watchJobs(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error) {
	return c.watch(ctx, c.batch, ns, "jobs", opts)
}

func (c *Client) watchPods(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error) {
	return c.watch(ctx, c.core, ns, "pods", opts)
}

func (c *Client) list(ctx context.Context, rc *rest.RESTClient, ns, resource string, opts metav1.ListOptions) rest.Result {
	return rc.Get().UseProtobufAsDefault().Namespace(ns).Resource(resource).
		VersionedParams(&opts, c.params).Timeout(timeoutOf(opts)).Do(ctx)
}

// watch starts a watch; the informers' reflectors set TimeoutSeconds so
// that the server ends each watch after a few minutes and they start anew.
func (c *Client) watch(ctx context.Context, rc *rest.RESTClient, ns, resource string, opts metav1.ListOptions) (watch.Interface, error) {
	opts.Watch = true
	return rc.Get().UseProtobufAsDefault().Namespace(ns).Resource(resource).
		VersionedParams(&opts, c.params).Timeout(timeoutOf(opts)).Watch(ctx)
}

func timeoutOf(opts metav1.ListOptions) time.Duration {
	if opts.TimeoutSeconds == nil {
		return 0
	}
	return time.Duration(*opts.TimeoutSeconds) * time.Second
}
