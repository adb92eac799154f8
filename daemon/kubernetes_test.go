package daemon_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/kubernetes"
	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

// kubeDaemon starts a daemon whose only platform is Kubernetes, on the
// shared test API server; the returned kubelet stands in for the nodes.
func kubeDaemon(t *testing.T) (*daemontest.Daemon, kubetest.Kubelet, k8s.Interface) {
	srv := kubetest.Shared(t)
	ns := srv.Namespace(t)
	cs := srv.Admin(t)
	c, err := kubernetes.NewClient(srv.RESTConfig(srv.AdminToken))
	if err != nil {
		t.Fatal(err)
	}
	p, err := kubernetes.New(kubernetes.Config{Namespace: ns, ImageRegistry: "ghcr.io/meeboter", Limit: 5}, c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	d := daemontest.Start(t, daemontest.Options{
		Platforms: []platforms.Platform{p},
		Config:    daemon.Config{PlatformPriority: []string{platforms.Kubernetes}, LeaveGrace: time.Second},
	})
	return d, kubetest.Kubelet{Client: cs, Namespace: ns}, cs
}

func deployedBot(t *testing.T, c *api.Client) *api.Bot {
	t.Helper()
	b, err := c.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for b.PlatformID == "" {
		if time.Now().After(deadline) {
			t.Fatalf("bot %d has no Job after 15s (status %s)", b.ID, b.Status)
		}
		time.Sleep(50 * time.Millisecond)
		if b, err = c.Bots().Get(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func waitJobGone(t *testing.T, cs k8s.Interface, ns, name string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := cs.BatchV1().Jobs(ns).Get(context.Background(), name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Job %s still exists (%v)", name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestKubernetesPodFailureEndsBot: a pod that cannot pull its image turns
// the bot FATAL with that reason within seconds, and its Job is deleted.
func TestKubernetesPodFailureEndsBot(t *testing.T) {
	t.Parallel()
	d, kubelet, cs := kubeDaemon(t)
	b := deployedBot(t, d.Admin)
	job, err := cs.BatchV1().Jobs(kubelet.Namespace).Get(t.Context(), b.PlatformID, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if img := job.Spec.Template.Spec.Containers[0].Image; img != "ghcr.io/meeboter/meeboter-google-meet-bot:latest" {
		t.Errorf("image %q", img)
	}
	for _, e := range job.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "MILO_AUTH_TOKEN" && (e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
			t.Errorf("the bot token is not taken from a Secret: %+v", e)
		}
	}
	start := time.Now()
	if err := kubelet.FailImagePull(t.Context(), b.PlatformID); err != nil {
		t.Fatal(err)
	}
	ended := waitStatus(t, d.Admin, b.ID, api.StatusFatal, api.StatusDone)
	if ended.Status != api.StatusFatal || ended.EndReason != kubernetes.ReasonImagePullFailed {
		t.Fatalf("bot ended %s/%s, want FATAL/%s", ended.Status, ended.EndReason, kubernetes.ReasonImagePullFailed)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the failure took %s to reach the bot", took)
	}
	waitJobGone(t, cs, kubelet.Namespace, b.PlatformID)
}

// TestKubernetesLeaveDeletesJob: a leave request asks the bot to leave; a
// bot that does not within the grace period is stopped, its Job deleted.
func TestKubernetesLeaveDeletesJob(t *testing.T) {
	t.Parallel()
	d, kubelet, cs := kubeDaemon(t)
	b := deployedBot(t, d.Admin)
	if err := kubelet.Run(t.Context(), b.PlatformID); err != nil {
		t.Fatal(err)
	}
	left, err := d.Admin.Bots().Leave(t.Context(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if left.Status != api.StatusLeaving {
		t.Fatalf("after leave the bot is %s, want LEAVING", left.Status)
	}
	ended := waitStatus(t, d.Admin, b.ID, api.StatusDone, api.StatusFatal)
	if ended.Status != api.StatusDone || ended.EndReason != api.ReasonLeftByRequest {
		t.Fatalf("bot ended %s/%s, want DONE/left_by_request", ended.Status, ended.EndReason)
	}
	waitJobGone(t, cs, kubelet.Namespace, b.PlatformID)
}
