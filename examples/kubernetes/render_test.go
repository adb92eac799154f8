// Package manifests tests the Kubernetes example: the kustomizations
// render, every object passes a real kube-apiserver's validation, the pod
// templates pass the "restricted" Pod Security Standard, and the objects
// refer to each other consistently.
package manifests

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizations are the layouts an operator applies with kubectl apply -k.
var kustomizations = []struct{ name, dir, namespace string }{
	{"Base", "base", "meeboter"},
	{"Staging", "overlays/staging", "meeboter-staging"},
}

// render builds a kustomization as `kubectl apply -k` would, with the
// kustomize library kubectl embeds.
func render(tb testing.TB, dir string) []*unstructured.Unstructured {
	tb.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		tb.Fatalf("kustomize %s: %v", dir, err)
	}
	var objs []*unstructured.Unstructured
	for _, r := range resources.Resources() {
		// Through JSON, so numbers are the int64 and float64 the
		// apimachinery functions expect, not YAML's int.
		data, err := r.MarshalJSON()
		o := &unstructured.Unstructured{}
		if err == nil {
			err = o.UnmarshalJSON(data)
		}
		if err != nil {
			tb.Fatalf("kustomize %s: %s: %v", dir, r.CurId(), err)
		}
		objs = append(objs, o)
	}
	if len(objs) == 0 {
		tb.Fatalf("kustomize %s: no objects", dir)
	}
	return objs
}

// set is one rendering decoded into the types the checks look at.
type set struct {
	namespaces      []corev1.Namespace
	secrets         []corev1.Secret
	serviceAccounts []corev1.ServiceAccount
	roleBindings    []rbacv1.RoleBinding
	services        []corev1.Service
	deployments     []appsv1.Deployment
	jobs            []batchv1.Job
	pdbs            []policyv1.PodDisruptionBudget
}

// decode sorts the objects into a set, failing on kinds the checks do
// not know, so a new manifest cannot go unchecked.
func decode(tb testing.TB, objs []*unstructured.Unstructured) set {
	tb.Helper()
	var s set
	for _, o := range objs {
		var err error
		switch o.GetKind() {
		case "Namespace":
			s.namespaces, err = appendAs(s.namespaces, o)
		case "Secret":
			s.secrets, err = appendAs(s.secrets, o)
		case "ServiceAccount":
			s.serviceAccounts, err = appendAs(s.serviceAccounts, o)
		case "RoleBinding":
			s.roleBindings, err = appendAs(s.roleBindings, o)
		case "Role":
			// rbac_test.go in platforms/kubernetes checks its rules.
		case "Service":
			s.services, err = appendAs(s.services, o)
		case "Deployment":
			s.deployments, err = appendAs(s.deployments, o)
		case "Job":
			s.jobs, err = appendAs(s.jobs, o)
		case "PodDisruptionBudget":
			s.pdbs, err = appendAs(s.pdbs, o)
		default:
			tb.Fatalf("%s %s: no consistency checks for this kind; add them", o.GetKind(), o.GetName())
		}
		if err != nil {
			tb.Fatalf("decode %s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}
	return s
}

func appendAs[T any](list []T, o *unstructured.Unstructured) ([]T, error) {
	var v T
	err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(o.Object, &v, true)
	return append(list, v), err
}
