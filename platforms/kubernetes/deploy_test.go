package kubernetes

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

func deployedJob(t *testing.T, cs *fake.Clientset, ns, id string) *batchv1.Job {
	t.Helper()
	job, err := cs.BatchV1().Jobs(ns).Get(t.Context(), id, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get job %s: %v", id, err)
	}
	return job
}

func TestDeploy_JobSpec(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	spec := platformtest.DefaultSpec(42)
	spec.MeetingPlatform = "zoom"
	spec.MaxDuration = 30 * time.Minute
	id, err := p.Deploy(t.Context(), spec)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if !strings.HasPrefix(id, "meeboter-bot-42-") || len(id) != len("meeboter-bot-42-")+5 {
		t.Fatalf("job name %q, want meeboter-bot-42-<5 random>", id)
	}
	job := deployedJob(t, cs, "bots", id)
	checkJobSpec(t, job)
	checkLabels(t, job.Labels)
	checkLabels(t, job.Spec.Template.Labels)
	checkPodSpec(t, job.Spec.Template.Spec)
	checkEnv(t, id, job.Spec.Template.Spec.Containers[0].Env)
	checkNoLiteralSecret(t, job, spec.Env["MILO_AUTH_TOKEN"])
}

func checkJobSpec(t *testing.T, job *batchv1.Job) {
	t.Helper()
	s := job.Spec
	if *s.BackoffLimit != 0 || *s.TTLSecondsAfterFinished != 300 {
		t.Errorf("backoffLimit %d, ttl %d; want 0 and 300", *s.BackoffLimit, *s.TTLSecondsAfterFinished)
	}
	if s.ActiveDeadlineSeconds == nil || *s.ActiveDeadlineSeconds != int64((30*time.Minute+deadlineMargin).Seconds()) {
		t.Errorf("activeDeadlineSeconds %v, want 30m plus the margin", s.ActiveDeadlineSeconds)
	}
}

func checkLabels(t *testing.T, got map[string]string) {
	t.Helper()
	want := map[string]string{LabelManagedBy: "meeboter", LabelBotID: "42", LabelMeetingPlatform: "zoom"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("label %s = %q, want %q (labels %v)", k, got[k], v, got)
		}
	}
}

func checkPodSpec(t *testing.T, ps corev1.PodSpec) {
	t.Helper()
	if ps.RestartPolicy != corev1.RestartPolicyNever || *ps.TerminationGracePeriodSeconds != 30 {
		t.Errorf("restartPolicy %s, grace %d; want Never and 30", ps.RestartPolicy, *ps.TerminationGracePeriodSeconds)
	}
	c := ps.Containers[0]
	if c.Image != "ghcr.io/meeboter/meeboter-zoom-bot:latest" {
		t.Errorf("image %q", c.Image)
	}
	if c.Resources.Requests.Cpu().String() != "500m" || c.Resources.Limits.Cpu().String() != "1" ||
		c.Resources.Requests.Memory().String() != "1Gi" || c.Resources.Limits.Memory().String() != "2Gi" {
		t.Errorf("resources %+v", c.Resources)
	}
	if c.SecurityContext == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("securityContext %+v, want allowPrivilegeEscalation false", c.SecurityContext)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/dev/shm" ||
		ps.Volumes[0].EmptyDir == nil || ps.Volumes[0].EmptyDir.Medium != corev1.StorageMediumMemory {
		t.Errorf("/dev/shm: mounts %+v, volumes %+v", c.VolumeMounts, ps.Volumes)
	}
}

func checkEnv(t *testing.T, secret string, env []corev1.EnvVar) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range env {
		seen[e.Name] = true
		isSecret := e.Name == "MILO_AUTH_TOKEN"
		if isSecret && (e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef.Name != secret || e.ValueFrom.SecretKeyRef.Key != e.Name) {
			t.Errorf("env %s = %+v, want a secretKeyRef to %s", e.Name, e, secret)
		}
		if !isSecret && e.ValueFrom != nil {
			t.Errorf("env %s comes from a secret, want a literal", e.Name)
		}
	}
	for _, k := range []string{"BOT_ID", "MILO_URL", "MILO_AUTH_TOKEN", "DOCKER_MEETING_PLATFORM", "NODE_ENV"} {
		if !seen[k] {
			t.Errorf("env %s missing", k)
		}
	}
}

func checkNoLiteralSecret(t *testing.T, job *batchv1.Job, secret string) {
	t.Helper()
	b, _ := json.Marshal(job)
	if strings.Contains(string(b), secret) {
		t.Errorf("the Job spec contains the secret value %q", secret)
	}
}

func TestDeploy_Secret(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	id, err := p.Deploy(t.Context(), platformtest.DefaultSpec(7))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	sec, err := cs.CoreV1().Secrets("bots").Get(t.Context(), id, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get secret: %v", err)
	}
	if string(sec.Data["MILO_AUTH_TOKEN"]) != "token-7" || len(sec.Data) != 1 {
		t.Errorf("secret data %v, want only MILO_AUTH_TOKEN", sec.Data)
	}
	refs := sec.OwnerReferences
	if len(refs) != 1 || refs[0].Kind != "Job" || refs[0].Name != id {
		t.Errorf("secret owners %+v, want the Job %s", refs, id)
	}
}

func TestDeploy_NoSecretsNoSecret(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	spec := platformtest.DefaultSpec(8)
	spec.Secrets = nil
	if _, err := p.Deploy(t.Context(), spec); err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	secrets, _ := cs.CoreV1().Secrets("bots").List(t.Context(), metav1.ListOptions{})
	if len(secrets.Items) != 0 {
		t.Fatalf("%d secrets created for a spec without secrets", len(secrets.Items))
	}
}

func TestDeploy_UnknownMeetingPlatform(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	spec := platformtest.DefaultSpec(9)
	spec.MeetingPlatform = "webex"
	if _, err := p.Deploy(t.Context(), spec); err == nil || !strings.Contains(err.Error(), "webex") {
		t.Fatalf("Deploy: err = %v, want an unknown meeting platform error", err)
	}
	if n := len(cs.Actions()); n != 0 {
		t.Fatalf("%d API calls made for an unknown meeting platform: %v", n, cs.Actions())
	}
}

// TestDeploy_JobRefused checks that a refused Job does not leave its
// Secret behind.
func TestDeploy_JobRefused(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	cs.PrependReactor("create", "jobs", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("quota exceeded")
	})
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	if _, err := p.Deploy(t.Context(), platformtest.DefaultSpec(10)); err == nil {
		t.Fatal("Deploy succeeded though the Job was refused")
	}
	secrets, _ := cs.CoreV1().Secrets("bots").List(t.Context(), metav1.ListOptions{})
	if len(secrets.Items) != 0 {
		t.Fatalf("secret left behind: %v", secrets.Items[0].Name)
	}
}

// TestStop_DeletesSecret checks that Stop removes a Secret even when it
// was never handed to its Job.
func TestStop_DeletesSecret(t *testing.T) {
	t.Parallel()
	cs := fake.NewClientset()
	cs.PrependReactor("patch", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("patch refused")
	})
	p := newTestPlatform(t, clientsetAPI{cs}, "bots")
	id, err := p.Deploy(t.Context(), platformtest.DefaultSpec(11))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if err := p.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := p.Status(t.Context(), id); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status after Stop: %v, want ErrNotFound", err)
	}
	secrets, _ := cs.CoreV1().Secrets("bots").List(t.Context(), metav1.ListOptions{})
	if len(secrets.Items) != 0 {
		t.Fatalf("secret %s left after Stop", secrets.Items[0].Name)
	}
}
