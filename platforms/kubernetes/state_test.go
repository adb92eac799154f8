package kubernetes

import (
	"errors"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/meeboter/meeboter/platforms"
)

func testJob(conds ...batchv1.JobCondition) *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "meeboter-bot-5-abcde", Labels: map[string]string{LabelBotID: "5"}},
		Status:     batchv1.JobStatus{Conditions: conds},
	}
}

func cond(typ batchv1.JobConditionType, reason string) batchv1.JobCondition {
	return batchv1.JobCondition{Type: typ, Status: corev1.ConditionTrue, Reason: reason, Message: "m"}
}

func pod(phase corev1.PodPhase, state corev1.ContainerState) *corev1.Pod {
	return &corev1.Pod{Status: corev1.PodStatus{
		Phase:             phase,
		ContainerStatuses: []corev1.ContainerStatus{{Name: "bot", State: state}},
	}}
}

func waiting(reason string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
}

func terminated(reason, msg string) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: reason, Message: msg, ExitCode: 1}}
}

func TestResourceOf(t *testing.T) {
	t.Parallel()
	running := corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	tests := []struct {
		name       string
		job        *batchv1.Job
		pods       []*corev1.Pod
		want       platforms.ResourceState
		wantReason string
		wantDetail string
	}{
		{name: "NoPod", job: testJob(), want: platforms.StatePending},
		{name: "PodPending", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodPending, waiting("ContainerCreating"))}, want: platforms.StatePending},
		{name: "PodRunning", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodRunning, running)}, want: platforms.StateRunning},
		{name: "PodSucceeded", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodSucceeded, terminated("Completed", ""))}, want: platforms.StateSucceeded},
		{name: "Complete", job: testJob(cond(batchv1.JobComplete, "")), want: platforms.StateSucceeded},
		{name: "SuccessCriteriaMet", job: testJob(cond(batchv1.JobSuccessCriteriaMet, "")), want: platforms.StateSucceeded},
		{name: "ErrImagePull", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodPending, waiting("ErrImagePull"))}, want: platforms.StateFailed, wantReason: ReasonImagePullFailed},
		{name: "ImagePullBackOff", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodPending, waiting("ImagePullBackOff"))}, want: platforms.StateFailed, wantReason: ReasonImagePullFailed},
		{name: "InvalidImageName", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodPending, waiting("InvalidImageName"))}, want: platforms.StateFailed, wantReason: ReasonImagePullFailed},
		{name: "OOMKilled", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodFailed, terminated("OOMKilled", ""))}, want: platforms.StateFailed, wantReason: ReasonOOMKilled},
		{name: "OOMKilledJobFailed", job: testJob(cond(batchv1.JobFailed, "BackoffLimitExceeded")), pods: []*corev1.Pod{pod(corev1.PodFailed, terminated("OOMKilled", ""))}, want: platforms.StateFailed, wantReason: ReasonOOMKilled},
		{name: "PodError", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodFailed, terminated("Error", "chrome crashed"))}, want: platforms.StateFailed, wantReason: ReasonPodFailed, wantDetail: "chrome crashed"},
		{name: "PodErrorNoMessage", job: testJob(), pods: []*corev1.Pod{pod(corev1.PodFailed, terminated("Error", ""))}, want: platforms.StateFailed, wantReason: ReasonPodFailed, wantDetail: "Error exit code 1"},
		{name: "Deadline", job: testJob(cond(batchv1.JobFailed, batchv1.JobReasonDeadlineExceeded)), pods: []*corev1.Pod{pod(corev1.PodRunning, running)}, want: platforms.StateFailed, wantReason: ReasonDeadlineExceeded},
		{name: "FailureTargetDeadline", job: testJob(cond(batchv1.JobFailureTarget, batchv1.JobReasonDeadlineExceeded)), want: platforms.StateFailed, wantReason: ReasonDeadlineExceeded},
		{name: "JobFailedNoPod", job: testJob(cond(batchv1.JobFailed, "BackoffLimitExceeded")), want: platforms.StateFailed, wantReason: ReasonPodFailed, wantDetail: "BackoffLimitExceeded: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := resourceOf(tt.job, tt.pods)
			if got.ID != "meeboter-bot-5-abcde" || got.BotID != 5 {
				t.Fatalf("resourceOf = %+v, want the Job's name and bot id 5", got)
			}
			if got.State != tt.want || got.Reason != tt.wantReason {
				t.Fatalf("resourceOf = %+v, want state %s reason %q", got, tt.want, tt.wantReason)
			}
			if tt.wantDetail != "" && got.Detail != tt.wantDetail {
				t.Fatalf("detail %q, want %q", got.Detail, tt.wantDetail)
			}
		})
	}
}

func TestStatus_ForeignID(t *testing.T) {
	t.Parallel()
	p := newTestPlatform(t, clientsetAPI{fake.NewClientset()}, "bots")
	for _, id := range []string{"arn:aws:ecs:eu-west-1:1:task/x", "a/b", "", "UPPER"} {
		if _, err := p.Status(t.Context(), id); !errors.Is(err, platforms.ErrNotFound) {
			t.Errorf("Status(%q): %v, want ErrNotFound", id, err)
		}
		if err := p.Stop(t.Context(), id); err != nil {
			t.Errorf("Stop(%q): %v", id, err)
		}
	}
}
