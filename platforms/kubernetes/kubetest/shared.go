package kubetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"

	"github.com/meeboter/meeboter/internal/sharedsrv"
)

// shared is the one server of a test binary: starting one takes seconds,
// so tests share it and isolate themselves in namespaces.
var shared sharedsrv.Shared[*Server]

// Shared returns the test binary's server, starting it on first use. It
// skips (or fails, see Required) the test when the server cannot start.
// Call StopShared from TestMain after m.Run.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	srv, err := shared.Get("meeboter-kube-", func() error { _, err := BinDir(); return err }, Start)
	if err != nil {
		SkipOrFail(tb, err)
	}
	return srv
}

// StopShared stops the shared server, if one was started, and removes its
// data directory.
func StopShared() { shared.Stop() }

// Admin returns a clientset for the server's admin user, failing tb on
// error.
func (s *Server) Admin(tb testing.TB) kubernetes.Interface {
	tb.Helper()
	cs, err := s.Client(s.AdminToken)
	if err != nil {
		tb.Fatalf("admin client: %v", err)
	}
	return cs
}

// Namespace creates a fresh namespace named after the test, with the
// "default" ServiceAccount the missing controller-manager would create
// (pod admission requires it). Namespaces are left behind: with no
// controller-manager, deleting one would never finish anyway.
func (s *Server) Namespace(tb testing.TB) string {
	tb.Helper()
	cs := s.Admin(tb)
	name := namespaceName(tb.Name())
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		tb.Fatalf("create namespace %s: %v", name, err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
	if _, err := cs.CoreV1().ServiceAccounts(name).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		tb.Fatalf("create service account in %s: %v", name, err)
	}
	return name
}

// namespaceName makes a valid, unique namespace name from a test name.
func namespaceName(test string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(test) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 50 {
		name = name[len(name)-50:]
	}
	return strings.Trim(name, "-") + "-" + utilrand.String(5)
}

// Kubeconfig writes a kubeconfig file for token into tb's temp dir and
// returns its path, for testing code that loads kubeconfig files.
func (s *Server) Kubeconfig(tb testing.TB, token string) string {
	tb.Helper()
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: %q, insecure-skip-tls-verify: true}
users:
- name: test
  user: {token: %q}
contexts:
- name: test
  context: {cluster: test, user: test}
current-context: test
`, s.URL, token)
	path := filepath.Join(tb.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		tb.Fatalf("write kubeconfig: %v", err)
	}
	return path
}
