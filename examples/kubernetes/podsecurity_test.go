package manifests

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

// restrictedNamespace creates a namespace enforcing the "restricted" Pod
// Security Standard, holding the service account the templates name.
func restrictedNamespace(t *testing.T, srv *kubetest.Server) string {
	t.Helper()
	ns := srv.Namespace(t)
	cs := srv.Admin(t)
	n, err := cs.CoreV1().Namespaces().Get(t.Context(), ns, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n.Labels["pod-security.kubernetes.io/enforce"] = "restricted"
	if _, err := cs.CoreV1().Namespaces().Update(t.Context(), n, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "meeboter"}}
	if _, err := cs.CoreV1().ServiceAccounts(ns).Create(t.Context(), sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return ns
}

// templatePods returns a pod for each pod template in the base: the
// daemon's and the migrate Job's.
func templatePods(t *testing.T, ns string) map[string]*corev1.Pod {
	t.Helper()
	s := decode(t, render(t, "base"))
	pod := func(name string, spec corev1.PodSpec) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: spec}
	}
	return map[string]*corev1.Pod{
		"Daemon":  pod("daemon", s.deployments[0].Spec.Template.Spec),
		"Migrate": pod("migrate", s.jobs[0].Spec.Template.Spec),
	}
}

// TestManifests_PodSecurityRestricted admits the pods the Deployment and
// the Job would create into a namespace enforcing "restricted", the
// strictest Pod Security Standard: non-root, no privilege escalation, all
// capabilities dropped, the runtime's seccomp profile.
func TestManifests_PodSecurityRestricted(t *testing.T) {
	t.Parallel()
	srv := kubetest.Shared(t)
	ns := restrictedNamespace(t, srv)
	cs := srv.Admin(t)
	for name, pod := range templatePods(t, ns) {
		t.Run(name, func(t *testing.T) {
			_, err := cs.CoreV1().Pods(ns).Create(t.Context(), pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
			if err != nil {
				t.Fatalf("pod refused: %v", err)
			}
		})
	}
}

// TestManifests_PodSecurityRejects shows the check above can fail: the
// daemon's pod without runAsNonRoot and with a capability added is refused.
func TestManifests_PodSecurityRejects(t *testing.T) {
	t.Parallel()
	srv := kubetest.Shared(t)
	ns := restrictedNamespace(t, srv)
	pod := templatePods(t, ns)["Daemon"]
	pod.Spec.SecurityContext.RunAsNonRoot = nil
	pod.Spec.Containers[0].SecurityContext.RunAsNonRoot = nil
	pod.Spec.Containers[0].SecurityContext.Capabilities.Add = []corev1.Capability{"NET_ADMIN"}
	_, err := srv.Admin(t).CoreV1().Pods(ns).Create(t.Context(), pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err == nil || !strings.Contains(err.Error(), `violates PodSecurity "restricted`) {
		t.Fatalf("got %v, want a PodSecurity violation", err)
	}
}
