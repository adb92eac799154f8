package kubernetes

import (
	"context"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/watchlist"
)

// clientsetAPI runs the platform on a client-go clientset, in practice the
// fake one, whose object tracker and reactors need no API server.
type clientsetAPI struct{ cs kubernetes.Interface }

var _ kubeAPI = clientsetAPI{}

func (a clientsetAPI) createSecret(ctx context.Context, ns string, secret *corev1.Secret) error {
	_, err := a.cs.CoreV1().Secrets(ns).Create(ctx, secret, metav1.CreateOptions{})
	return err
}

func (a clientsetAPI) patchSecret(ctx context.Context, ns, name string, mergePatch []byte) error {
	_, err := a.cs.CoreV1().Secrets(ns).Patch(ctx, name, types.MergePatchType, mergePatch, metav1.PatchOptions{})
	return err
}

func (a clientsetAPI) deleteSecret(ctx context.Context, ns, name string) error {
	return a.cs.CoreV1().Secrets(ns).Delete(ctx, name, metav1.DeleteOptions{})
}

func (a clientsetAPI) createJob(ctx context.Context, ns string, job *batchv1.Job) (*batchv1.Job, error) {
	return a.cs.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{})
}

func (a clientsetAPI) getJob(ctx context.Context, ns, name string) (*batchv1.Job, error) {
	return a.cs.BatchV1().Jobs(ns).Get(ctx, name, metav1.GetOptions{})
}

func (a clientsetAPI) deleteJob(ctx context.Context, ns, name string, opts metav1.DeleteOptions) error {
	return a.cs.BatchV1().Jobs(ns).Delete(ctx, name, opts)
}

func (a clientsetAPI) listJobs(ctx context.Context, ns string, opts metav1.ListOptions) (*batchv1.JobList, error) {
	return a.cs.BatchV1().Jobs(ns).List(ctx, opts)
}

func (a clientsetAPI) watchJobs(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error) {
	return a.cs.BatchV1().Jobs(ns).Watch(ctx, opts)
}

func (a clientsetAPI) listPods(ctx context.Context, ns string, opts metav1.ListOptions) (*corev1.PodList, error) {
	return a.cs.CoreV1().Pods(ns).List(ctx, opts)
}

func (a clientsetAPI) watchPods(ctx context.Context, ns string, opts metav1.ListOptions) (watch.Interface, error) {
	return a.cs.CoreV1().Pods(ns).Watch(ctx, opts)
}

// IsWatchListSemanticsUnSupported passes on what the clientset says, so
// the informers do not wait for a streamed list the fake never sends.
func (a clientsetAPI) IsWatchListSemanticsUnSupported() bool {
	return watchlist.DoesClientNotSupportWatchListSemantics(a.cs)
}
