package kubernetes

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	authzv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

// exampleRBAC is the manifest operators apply; the tests grant the
// platform exactly its Role, so a missing verb fails here, not in
// production.
const exampleRBAC = "../../examples/kubernetes/base/rbac.yaml"

// exampleRole reads the Role from the example manifest.
func exampleRole(t *testing.T) *rbacv1.Role {
	t.Helper()
	data, err := os.ReadFile(exampleRBAC)
	if err != nil {
		t.Fatalf("read %s: %v", exampleRBAC, err)
	}
	decode := scheme.Codecs.UniversalDeserializer().Decode
	for doc := range bytes.SplitSeq(data, []byte("\n---\n")) {
		obj, _, err := decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("decode %s: %v", exampleRBAC, err)
		}
		if role, ok := obj.(*rbacv1.Role); ok {
			return role
		}
	}
	t.Fatalf("%s has no Role", exampleRBAC)
	return nil
}

// restrictedClient returns a Client for kubetest.User holding only the
// example Role in namespace ns.
func restrictedClient(t *testing.T, srv *kubetest.Server, ns string) *Client {
	t.Helper()
	admin := srv.Admin(t)
	ctx := context.Background()
	role := exampleRole(t)
	role.Namespace = ns
	if _, err := admin.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create role: %v", err)
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role.Name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: kubetest.User}},
	}
	if _, err := admin.RbacV1().RoleBindings(ns).Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create role binding: %v", err)
	}
	cs, err := srv.Client(srv.UserToken)
	if err != nil {
		t.Fatalf("clientset: %v", err)
	}
	waitAuthorized(t, cs, ns)
	c, err := NewClient(srv.RESTConfig(srv.UserToken))
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return c
}

// waitAuthorized waits until the API server's RBAC cache has seen the new
// binding; until then the user's requests are refused.
func waitAuthorized(t *testing.T, cs kubernetes.Interface, ns string) {
	t.Helper()
	review := &authzv1.SelfSubjectAccessReview{Spec: authzv1.SelfSubjectAccessReviewSpec{
		ResourceAttributes: &authzv1.ResourceAttributes{Namespace: ns, Verb: "patch", Resource: "secrets"},
	}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := cs.AuthorizationV1().SelfSubjectAccessReviews().Create(t.Context(), review, metav1.CreateOptions{})
		if err == nil && got.Status.Allowed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("role binding in %s not effective after 10s: %v", ns, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
