package kubernetes

import (
	"strconv"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/meeboter/meeboter/platforms"
)

// Reason codes for failed bot resources, recorded on the FATAL bot.
const (
	ReasonImagePullFailed  = "image_pull_failed"
	ReasonOOMKilled        = "oom_killed"
	ReasonDeadlineExceeded = "deadline_exceeded"
	ReasonPodFailed        = "pod_failed"
)

// imagePullReasons are the container waiting reasons after which the pod
// will not start without someone fixing the image. The Job itself only
// fails much later (or never, under backoff), so these count as failure
// at once.
var imagePullReasons = map[string]bool{
	"ErrImagePull":     true,
	"ImagePullBackOff": true,
	"InvalidImageName": true,
}

// resourceOf maps a Job and its pods to the platform-neutral view. Order
// matters: the Job's own verdict wins, then a pod that can never run, then
// a finished or running pod.
func resourceOf(job *batchv1.Job, pods []*corev1.Pod) platforms.Resource {
	r := platforms.Resource{ID: job.Name, State: platforms.StatePending}
	r.BotID, _ = strconv.ParseInt(job.Labels[LabelBotID], 10, 64)
	if done, ok := jobVerdict(job, pods); ok {
		r.State, r.Reason, r.Detail = done.State, done.Reason, done.Detail
		return r
	}
	if failed, ok := podFailure(pods); ok {
		r.State, r.Reason, r.Detail = failed.State, failed.Reason, failed.Detail
		return r
	}
	if anyPhase(pods, corev1.PodSucceeded) {
		r.State = platforms.StateSucceeded
		return r
	}
	if job.Status.Ready != nil && *job.Status.Ready > 0 || anyPhase(pods, corev1.PodRunning) {
		r.State = platforms.StateRunning
	}
	return r
}

// jobVerdict reads the Job's terminal conditions. FailureTarget and
// SuccessCriteriaMet come before Failed and Complete while the Job
// controller waits for pods to terminate; the outcome is known then.
func jobVerdict(job *batchv1.Job, pods []*corev1.Pod) (platforms.Resource, bool) {
	for _, c := range job.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete, batchv1.JobSuccessCriteriaMet:
			return platforms.Resource{State: platforms.StateSucceeded}, true
		case batchv1.JobFailed, batchv1.JobFailureTarget:
			if c.Reason == batchv1.JobReasonDeadlineExceeded {
				return failed(ReasonDeadlineExceeded, c.Message), true
			}
			if r, ok := podFailure(pods); ok {
				return r, true
			}
			return failed(ReasonPodFailed, strings.TrimSpace(c.Reason+": "+c.Message)), true
		}
	}
	return platforms.Resource{}, false
}

// podFailure finds the first pod that failed or can never start.
func podFailure(pods []*corev1.Pod) (platforms.Resource, bool) {
	for _, pod := range pods {
		if r, ok := containerFailure(pod); ok {
			return r, true
		}
		if pod.Status.Phase == corev1.PodFailed {
			if pod.Status.Reason == batchv1.JobReasonDeadlineExceeded {
				return failed(ReasonDeadlineExceeded, pod.Status.Message), true
			}
			return failed(ReasonPodFailed, podDetail(pod)), true
		}
	}
	return platforms.Resource{}, false
}

// containerFailure looks at the container states, which carry the precise
// cause: an image that cannot be pulled, or the kernel's OOM killer.
func containerFailure(pod *corev1.Pod) (platforms.Resource, bool) {
	for _, cs := range pod.Status.ContainerStatuses {
		if w := cs.State.Waiting; w != nil && imagePullReasons[w.Reason] {
			return failed(ReasonImagePullFailed, strings.TrimSpace(w.Reason+": "+w.Message)), true
		}
		if t := cs.State.Terminated; t != nil && t.Reason == "OOMKilled" {
			return failed(ReasonOOMKilled, "container "+cs.Name+" was killed for exceeding its memory limit"), true
		}
	}
	return platforms.Resource{}, false
}

// podDetail says why a pod failed, preferring the container's own words.
func podDetail(pod *corev1.Pod) string {
	for _, cs := range pod.Status.ContainerStatuses {
		if t := cs.State.Terminated; t != nil {
			if msg := strings.TrimSpace(t.Message); msg != "" {
				return msg
			}
			return strings.TrimSpace(t.Reason + " exit code " + strconv.Itoa(int(t.ExitCode)))
		}
	}
	return strings.TrimSpace(pod.Status.Reason + ": " + pod.Status.Message)
}

func failed(reason, detail string) platforms.Resource {
	return platforms.Resource{State: platforms.StateFailed, Reason: reason, Detail: strings.Trim(detail, ": ")}
}

func anyPhase(pods []*corev1.Pod, phase corev1.PodPhase) bool {
	for _, pod := range pods {
		if pod.Status.Phase == phase {
			return true
		}
	}
	return false
}
