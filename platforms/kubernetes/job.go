package kubernetes

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"

	"github.com/meeboter/meeboter/platforms"
)

// Labels on every Job, pod and Secret this package creates. The managed-by
// label scopes the informers and List to meeboter's own objects, so other
// workloads in the namespace are never reconciled or deleted.
const (
	LabelManagedBy       = "app.kubernetes.io/managed-by"
	ManagedByValue       = "meeboter"
	LabelBotID           = "meeboter.dev/bot-id"
	LabelMeetingPlatform = "meeboter.dev/meeting-platform"
)

// deadlineMargin is added to the bot's MaxDuration for the Job's
// activeDeadlineSeconds: the bot leaves on its own at MaxDuration, and the
// deadline is the backstop for a bot that hangs instead.
const deadlineMargin = 2 * time.Minute

// images maps a meeting platform to its bot image name.
var images = map[string]string{
	"google-meet":     "meeboter-google-meet-bot",
	"microsoft-teams": "meeboter-microsoft-teams-bot",
	"zoom":            "meeboter-zoom-bot",
}

// image returns the full image reference for a meeting platform.
func (c Config) image(meetingPlatform string) (string, error) {
	name, ok := images[meetingPlatform]
	if !ok {
		return "", fmt.Errorf("unknown meeting platform %q", meetingPlatform)
	}
	return fmt.Sprintf("%s/%s:%s", c.ImageRegistry, name, c.ImageTag), nil
}

// jobName is unique per deploy even for the same bot: a retried deploy
// must not collide with the Job of an earlier attempt still being deleted.
func jobName(botID int64) string {
	return fmt.Sprintf("meeboter-bot-%d-%s", botID, utilrand.String(5))
}

func labels(spec platforms.DeploySpec) map[string]string {
	return map[string]string{
		LabelManagedBy:       ManagedByValue,
		LabelBotID:           strconv.FormatInt(spec.BotID, 10),
		LabelMeetingPlatform: spec.MeetingPlatform,
	}
}

// newSecret holds the bot's credentials, so they never appear in the Job
// spec, where anyone allowed to read Jobs (or `kubectl describe`) sees them.
func newSecret(name string, spec platforms.DeploySpec) *corev1.Secret {
	data := map[string][]byte{}
	for _, key := range spec.Secrets {
		if v, ok := spec.Env[key]; ok {
			data[key] = []byte(v)
		}
	}
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels(spec)},
		Type:       corev1.SecretTypeOpaque,
		Data:       data,
		// Immutable Secrets are not watched by the kubelet, which saves
		// the API server a watch per bot.
		Immutable: new(true),
	}
}

// envVars turns spec.Env into container env, sorted for a stable spec, with
// the secret keys referenced from the Secret named secret.
func envVars(spec platforms.DeploySpec, secret string) []corev1.EnvVar {
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	env := make([]corev1.EnvVar, 0, len(keys))
	for _, k := range keys {
		if slices.Contains(spec.Secrets, k) {
			ref := &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: k}
			env = append(env, corev1.EnvVar{Name: k, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: ref}})
			continue
		}
		env = append(env, corev1.EnvVar{Name: k, Value: spec.Env[k]})
	}
	return env
}

// hasSecrets reports whether the spec needs a Secret at all.
func hasSecrets(spec platforms.DeploySpec) bool {
	for _, k := range spec.Secrets {
		if _, ok := spec.Env[k]; ok {
			return true
		}
	}
	return false
}

// newJob builds the Job for one bot. backoffLimit 0 because a bot that
// crashed must not rejoin the call as a second attendee; the daemon
// decides about retries.
func (c Config) newJob(name, image string, spec platforms.DeploySpec) *batchv1.Job {
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels(spec)},
		Spec: batchv1.JobSpec{
			BackoffLimit:            new(int32(0)),
			TTLSecondsAfterFinished: new(c.TTLSecondsAfterFinished),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(spec)},
				Spec:       c.podSpec(name, image, spec),
			},
		},
	}
	if spec.MaxDuration > 0 {
		job.Spec.ActiveDeadlineSeconds = new(int64((spec.MaxDuration + deadlineMargin).Seconds()))
	}
	return job
}

func (c Config) podSpec(secret, image string, spec platforms.DeploySpec) corev1.PodSpec {
	shm := resource.MustParse(c.ShmSize)
	ps := corev1.PodSpec{
		RestartPolicy:                 corev1.RestartPolicyNever,
		TerminationGracePeriodSeconds: new(int64(c.StopGrace.Seconds())),
		// Bots talk to meeboter over HTTP, never to the Kubernetes API.
		AutomountServiceAccountToken: new(false),
		Containers:                   []corev1.Container{c.container(secret, image, spec)},
		Volumes: []corev1.Volume{{
			Name: "dshm",
			VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{
				Medium: corev1.StorageMediumMemory, SizeLimit: &shm,
			}},
		}},
	}
	if c.ImagePullSecret != "" {
		ps.ImagePullSecrets = []corev1.LocalObjectReference{{Name: c.ImagePullSecret}}
	}
	return ps
}

func (c Config) container(secret, image string, spec platforms.DeploySpec) corev1.Container {
	return corev1.Container{
		Name:  "bot",
		Image: image,
		Env:   envVars(spec, secret),
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{
				corev1.ResourceCPU:    resource.MustParse(c.CPURequest),
				corev1.ResourceMemory: resource.MustParse(c.MemoryRequest),
			},
			Limits: corev1.ResourceList{
				corev1.ResourceCPU:    resource.MustParse(c.CPULimit),
				corev1.ResourceMemory: resource.MustParse(c.MemoryLimit),
			},
		},
		VolumeMounts:    []corev1.VolumeMount{{Name: "dshm", MountPath: "/dev/shm"}},
		SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: new(false)},
		// The last log lines become the failure detail when the bot dies
		// without writing a termination message.
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}
}
