package kubetest

import (
	"context"
	"fmt"
	"maps"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// Kubelet plays the Job controller and the kubelet for Jobs in one
// namespace: it creates a Job's pod and writes the pod and Job statuses a
// real node would report. It needs a clientset allowed to write pod and
// Job status (the admin one).
type Kubelet struct {
	Client    kubernetes.Interface
	Namespace string
}

// Pod returns the Job's pod, creating it as the Job controller would: the
// template's labels plus job-name, and a controller reference to the Job.
func (k Kubelet) Pod(ctx context.Context, jobName string) (*corev1.Pod, error) {
	pods, err := k.Client.CoreV1().Pods(k.Namespace).List(ctx, metav1.ListOptions{LabelSelector: batchv1.JobNameLabel + "=" + jobName})
	if err != nil {
		return nil, err
	}
	if len(pods.Items) > 0 {
		return &pods.Items[0], nil
	}
	job, err := k.Client.BatchV1().Jobs(k.Namespace).Get(ctx, jobName, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	labels := maps.Clone(job.Spec.Template.Labels)
	labels[batchv1.JobNameLabel], labels["job-name"] = job.Name, job.Name
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:            job.Name + "-" + utilrand.String(5),
			Labels:          labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(job, batchv1.SchemeGroupVersion.WithKind("Job"))},
		},
		Spec: job.Spec.Template.Spec,
	}
	return k.Client.CoreV1().Pods(k.Namespace).Create(ctx, pod, metav1.CreateOptions{})
}

// Run makes the Job's pod run.
func (k Kubelet) Run(ctx context.Context, jobName string) error {
	return k.setPod(ctx, jobName, corev1.PodRunning, corev1.ContainerState{
		Running: &corev1.ContainerStateRunning{StartedAt: now()},
	})
}

// FailImagePull makes the pod wait on an image that cannot be pulled.
func (k Kubelet) FailImagePull(ctx context.Context, jobName string) error {
	return k.setPod(ctx, jobName, corev1.PodPending, corev1.ContainerState{
		Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: "Back-off pulling image"},
	})
}

// OOMKill makes the pod fail with its container killed for memory.
func (k Kubelet) OOMKill(ctx context.Context, jobName string) error {
	return k.setPod(ctx, jobName, corev1.PodFailed, corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137, StartedAt: now(), FinishedAt: now()},
	})
}

// FailPod makes the pod fail with exit code 1 and the given termination
// message.
func (k Kubelet) FailPod(ctx context.Context, jobName, message string) error {
	return k.setPod(ctx, jobName, corev1.PodFailed, corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 1, Message: message, StartedAt: now(), FinishedAt: now()},
	})
}

// setPod writes the pod phase and the state of its first container.
func (k Kubelet) setPod(ctx context.Context, jobName string, phase corev1.PodPhase, state corev1.ContainerState) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		pod, err := k.Pod(ctx, jobName)
		if err != nil {
			return fmt.Errorf("pod of %s: %w", jobName, err)
		}
		c := pod.Spec.Containers[0]
		pod.Status.Phase = phase
		pod.Status.StartTime = new(now())
		pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
			Name: c.Name, Image: c.Image, State: state,
			Ready: state.Running != nil, Started: new(state.Running != nil),
		}}
		_, err = k.Client.CoreV1().Pods(k.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
		return err
	})
}

// ExceedDeadline marks the Job failed by its activeDeadlineSeconds, as
// the Job controller does, without touching its pod.
func (k Kubelet) ExceedDeadline(ctx context.Context, jobName string) error {
	return k.setJobConditions(ctx, jobName, batchv1.JobReasonDeadlineExceeded,
		batchv1.JobFailureTarget, batchv1.JobFailed)
}

// Complete marks the Job's pod succeeded and the Job complete.
func (k Kubelet) Complete(ctx context.Context, jobName string) error {
	err := k.setPod(ctx, jobName, corev1.PodSucceeded, corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{Reason: "Completed", StartedAt: now(), FinishedAt: now()},
	})
	if err != nil {
		return err
	}
	return k.setJobConditions(ctx, jobName, batchv1.JobReasonCompletionsReached,
		batchv1.JobSuccessCriteriaMet, batchv1.JobComplete)
}

// setJobConditions adds true conditions with the given reason to the Job
// status, plus the counters the API server's validation expects with them.
func (k Kubelet) setJobConditions(ctx context.Context, jobName, reason string, types ...batchv1.JobConditionType) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		job, err := k.Client.BatchV1().Jobs(k.Namespace).Get(ctx, jobName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		t := now()
		if job.Status.StartTime == nil {
			job.Status.StartTime = new(metav1.NewTime(t.Add(-time.Second)))
		}
		for _, typ := range types {
			job.Status.Conditions = append(job.Status.Conditions, batchv1.JobCondition{
				Type: typ, Status: corev1.ConditionTrue, Reason: reason, Message: string(typ) + " set by the test",
				LastProbeTime: t, LastTransitionTime: t,
			})
		}
		switch types[len(types)-1] {
		case batchv1.JobComplete:
			job.Status.Succeeded, job.Status.CompletionTime = 1, &t
		case batchv1.JobFailed:
			job.Status.Failed = 1
		}
		job.Status.Active = 0
		_, err = k.Client.BatchV1().Jobs(k.Namespace).UpdateStatus(ctx, job, metav1.UpdateOptions{})
		return err
	})
}

func now() metav1.Time { return metav1.NewTime(time.Now().Truncate(time.Second)) }
