package kubernetes

import (
	"context"
	"fmt"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

const testCapacity = 7

// harness builds the conformance harness for a platform calling api in
// kubelet's namespace, with kubelet standing in for the missing nodes.
func harness(t *testing.T, api kubeAPI, kubelet kubetest.Kubelet) platformtest.Harness {
	p := newTestPlatform(t, api, kubelet.Namespace)
	ctx := context.WithoutCancel(t.Context())
	return platformtest.Harness{
		Platform:    p,
		Capacity:    testCapacity,
		Timeout:     10 * time.Second,
		FailReasons: []string{ReasonImagePullFailed, ReasonOOMKilled, ReasonDeadlineExceeded, ReasonPodFailed},
		MakeRunning: func(id string) error { return kubelet.Run(ctx, id) },
		MakeFailed: func(id, reason string) error {
			switch reason {
			case ReasonImagePullFailed:
				return kubelet.FailImagePull(ctx, id)
			case ReasonOOMKilled:
				return kubelet.OOMKill(ctx, id)
			case ReasonDeadlineExceeded:
				return kubelet.ExceedDeadline(ctx, id)
			case ReasonPodFailed:
				return kubelet.FailPod(ctx, id, "bot crashed")
			}
			return fmt.Errorf("no way to cause %q", reason)
		},
		MakeSucceeded: func(id string) error { return kubelet.Complete(ctx, id) },
	}
}

func newTestPlatform(t *testing.T, api kubeAPI, ns string) *Platform {
	t.Helper()
	p, err := newPlatform(Config{Namespace: ns, ImageRegistry: "ghcr.io/meeboter", Limit: testCapacity}, api, testLogger(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// TestConformance_Fake runs the suite on client-go's fake clientset, which
// needs no binaries and so always runs.
func TestConformance_Fake(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		cs := fake.NewClientset()
		return harness(t, clientsetAPI{cs}, kubetest.Kubelet{Client: cs, Namespace: "meeboter"})
	})
}

// TestConformance_APIServer runs the suite against a real kube-apiserver,
// with the platform's own Client restricted to the example Role, so the
// manifest's permissions are proven sufficient.
func TestConformance_APIServer(t *testing.T) {
	srv := kubetest.Shared(t)
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		ns := srv.Namespace(t)
		return harness(t, restrictedClient(t, srv, ns), kubetest.Kubelet{Client: srv.Admin(t), Namespace: ns})
	})
}
