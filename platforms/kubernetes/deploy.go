package kubernetes

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/meeboter/meeboter/platforms"
)

// cleanupTimeout bounds the calls that undo a half-done deploy; they run
// even when the deploy's own context has ended.
const cleanupTimeout = 10 * time.Second

// Deploy creates the bot's Secret and Job and returns the Job name without
// waiting for a pod. The Secret comes first so the pod never starts with a
// missing secretKeyRef; once the Job exists the Secret is handed to it as
// owner, so deleting the Job (by Stop or by the TTL) collects the Secret.
func (p *Platform) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	image, err := p.cfg.image(spec.MeetingPlatform)
	if err != nil {
		return "", fmt.Errorf("deploy bot %d: %w", spec.BotID, err)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("deploy bot %d: %w", spec.BotID, err)
	}
	name := jobName(spec.BotID)
	secrets := hasSecrets(spec)
	if secrets {
		if err := p.api.createSecret(ctx, p.cfg.Namespace, newSecret(name, spec)); err != nil {
			return "", fmt.Errorf("deploy bot %d: create secret: %w", spec.BotID, err)
		}
	}
	created, err := p.api.createJob(ctx, p.cfg.Namespace, p.cfg.newJob(name, image, spec))
	if err != nil {
		p.undo(context.WithoutCancel(ctx), name)
		return "", fmt.Errorf("deploy bot %d: create job: %w", spec.BotID, err)
	}
	if secrets {
		p.adoptSecret(context.WithoutCancel(ctx), created)
	}
	p.log.InfoContext(ctx, "job created", "job", name, "bot_id", spec.BotID, "image", image)
	return name, nil
}

// adoptSecret makes the Job the Secret's owner. A failure only costs an
// extra delete in Stop, which removes the Secret by name anyway, so it is
// logged rather than failing a deploy whose Job already runs.
func (p *Platform) adoptSecret(ctx context.Context, job *batchv1.Job) {
	ctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
	defer cancel()
	// Not a controller reference and not blocking deletion: the Job does
	// not manage the Secret, and blockOwnerDeletion would need the extra
	// jobs/finalizers permission.
	owner := metav1.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: job.Name, UID: job.UID}
	patch, _ := json.Marshal(map[string]any{
		"metadata": map[string]any{"ownerReferences": []metav1.OwnerReference{owner}},
	})
	if err := p.api.patchSecret(ctx, p.cfg.Namespace, job.Name, patch); err != nil {
		p.log.WarnContext(ctx, "secret not handed to its job", "job", job.Name, "error", err)
	}
}

// Stop deletes the Job and its Secret. It is the hard stop: the pod gets
// Config.StopGrace to exit, and the bot is not asked to leave the call
// first (the daemon does that before calling Stop). Background propagation
// returns at once and lets the garbage collector remove the pod.
func (p *Platform) Stop(ctx context.Context, id string) error {
	if !validName(id) {
		return nil // no such object can exist
	}
	err := p.api.deleteJob(ctx, p.cfg.Namespace, id, metav1.DeleteOptions{
		PropagationPolicy: new(metav1.DeletePropagationBackground),
	})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("stop %s: delete job: %w", id, err)
	}
	if err == nil {
		p.log.InfoContext(ctx, "job deleted", "job", id)
	}
	// The Secret is usually collected with the Job; deleting it here too
	// covers a Secret whose adoption failed.
	err = p.api.deleteSecret(ctx, p.cfg.Namespace, id)
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("stop %s: delete secret: %w", id, err)
	}
	return nil
}

// undo removes what a failed deploy may have left: always the Secret, and
// the Job too, because a request cut off by its context may have created
// the Job after all, and nobody would know its name.
func (p *Platform) undo(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
	defer cancel()
	if err := p.Stop(ctx, name); err != nil {
		p.log.WarnContext(ctx, "failed deploy not cleaned up", "job", name, "error", err)
	}
}
