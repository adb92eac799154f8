package kubernetes

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// apiBundle is a platform on the shared API server in its own namespace.
type apiBundle struct {
	srv     *kubetest.Server
	ns      string
	admin   k8s.Interface
	p       *Platform
	kubelet kubetest.Kubelet
}

func setupAPI(t *testing.T) *apiBundle {
	t.Helper()
	srv := kubetest.Shared(t)
	ns := srv.Namespace(t)
	admin := srv.Admin(t)
	return &apiBundle{
		srv: srv, ns: ns, admin: admin,
		p:       newTestPlatform(t, restrictedClient(t, srv, ns), ns),
		kubelet: kubetest.Kubelet{Client: admin, Namespace: ns},
	}
}

func (b *apiBundle) deploy(t *testing.T, botID int64) string {
	t.Helper()
	id, err := b.p.Deploy(t.Context(), platformtest.DefaultSpec(botID))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	return id
}

// TestAPIServer_SecretOwnedByJob checks the ownership that lets the
// garbage collector delete the Secret with the Job, against the UID the
// API server assigned.
func TestAPIServer_SecretOwnedByJob(t *testing.T) {
	t.Parallel()
	b := setupAPI(t)
	id := b.deploy(t, 1)
	job, err := b.admin.BatchV1().Jobs(b.ns).Get(t.Context(), id, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get job: %v", err)
	}
	sec, err := b.admin.CoreV1().Secrets(b.ns).Get(t.Context(), id, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get secret: %v", err)
	}
	refs := sec.OwnerReferences
	if len(refs) != 1 || refs[0].UID != job.UID || refs[0].APIVersion != "batch/v1" || refs[0].Kind != "Job" {
		t.Fatalf("secret owners %+v, want the Job %s (uid %s)", refs, id, job.UID)
	}
	if got := job.Spec.Template.Spec.Containers[0].Image; got != "ghcr.io/meeboter/meeboter-google-meet-bot:latest" {
		t.Fatalf("stored image %q", got)
	}
}

// TestAPIServer_StopDeletesJob checks that Stop removes the Job and its
// Secret from the API server, not just from the cache.
func TestAPIServer_StopDeletesJob(t *testing.T) {
	t.Parallel()
	b := setupAPI(t)
	id := b.deploy(t, 2)
	if err := b.p.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := b.admin.BatchV1().Jobs(b.ns).Get(t.Context(), id, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("job after Stop: err %v, want NotFound", err)
	}
	if _, err := b.admin.CoreV1().Secrets(b.ns).Get(t.Context(), id, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("secret after Stop: err %v, want NotFound", err)
	}
}

// TestAPIServer_ListPaginates lists more Jobs than fit on a page and
// checks that every page was fetched.
func TestAPIServer_ListPaginates(t *testing.T) {
	t.Parallel()
	b := setupAPI(t)
	var lists atomic.Int32
	cfg := b.srv.RESTConfig(b.srv.AdminToken)
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripper(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/jobs") && r.URL.Query().Get("watch") == "" {
				lists.Add(1)
			}
			return rt.RoundTrip(r)
		})
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPlatform(t, c, b.ns)
	p.pageSize = 2
	want := map[string]int64{}
	for bot := int64(1); bot <= 5; bot++ {
		want[b.deploy(t, bot)] = bot
	}
	got, err := p.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("List returned %d resources, want %d", len(got), len(want))
	}
	for _, r := range got {
		if want[r.ID] != r.BotID {
			t.Errorf("listed %+v, want BotID %d", r, want[r.ID])
		}
	}
	if n := lists.Load(); n != 3 {
		t.Fatalf("%d list requests, want 3 pages of at most 2", n)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestAPIServer_WatchPushesFailure checks that an OOM-killed pod reaches a
// watcher within seconds, which is what turns it into a FATAL bot quickly.
func TestAPIServer_WatchPushesFailure(t *testing.T) {
	t.Parallel()
	b := setupAPI(t)
	id := b.deploy(t, 3)
	events := make(chan platforms.Resource, 64)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() { _ = b.p.Watch(ctx, func(r platforms.Resource) { events <- r }) }()
	start := time.Now()
	if err := b.kubelet.OOMKill(t.Context(), id); err != nil {
		t.Fatalf("OOMKill: %v", err)
	}
	timeout := time.After(5 * time.Second)
	for {
		select {
		case r := <-events:
			if r.ID == id && r.State == platforms.StateFailed {
				if r.Reason != ReasonOOMKilled || r.BotID != 3 {
					t.Fatalf("pushed %+v, want oom_killed for bot 3", r)
				}
				t.Logf("failure pushed %v after the pod status changed", time.Since(start))
				return
			}
		case <-timeout:
			t.Fatal("no failure pushed within 5s")
		}
	}
}

// TestRESTConfig_Kubeconfig checks that K8S_KUBECONFIG is used when not
// running in a pod.
func TestRESTConfig_Kubeconfig(t *testing.T) {
	t.Parallel()
	srv := kubetest.Shared(t)
	path := srv.Kubeconfig(t, srv.AdminToken)
	c, err := ClientFromEnv(envOf(map[string]string{"K8S_KUBECONFIG": path}))
	if err != nil {
		t.Fatalf("ClientFromEnv: %v", err)
	}
	if _, err := c.listJobs(t.Context(), "default", metav1.ListOptions{}); err != nil {
		t.Fatalf("list jobs in default: %v", err)
	}
}

// TestRESTConfig_InClusterFirst checks that KUBERNETES_SERVICE_HOST wins
// over K8S_KUBECONFIG: outside a pod the in-cluster config fails for lack
// of a service account token, which shows it was the one tried.
func TestRESTConfig_InClusterFirst(t *testing.T) {
	t.Parallel()
	_, err := RESTConfig(envOf(map[string]string{
		"KUBERNETES_SERVICE_HOST": "10.0.0.1", "K8S_KUBECONFIG": "/nonexistent/kubeconfig",
	}))
	if err == nil || strings.Contains(err.Error(), "/nonexistent/kubeconfig") {
		t.Fatalf("RESTConfig: err %v, want the in-cluster config's error", err)
	}
}
