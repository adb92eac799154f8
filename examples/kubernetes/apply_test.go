package manifests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

// TestMain stops the API server the first test needing it starts.
func TestMain(m *testing.M) {
	code := m.Run()
	kubetest.StopShared()
	os.Exit(code)
}

// realKinds are created for real, the rest only in a server-side dry run:
// the namespace must exist for anything in it to be checked, and the
// service account must exist for pods naming it to be admitted. Workloads
// would only be stored, since the test server runs no controllers.
var realKinds = []string{"Namespace", "ServiceAccount", "Role", "RoleBinding", "Secret"}

// applier creates arbitrary objects on the API server, as kubectl does:
// resources found through discovery, unknown fields refused (Strict), and
// every warning the server sends back (deprecated APIs, Pod Security
// violations) recorded.
type applier struct {
	dyn    dynamic.Interface
	mapper meta.RESTMapper

	mu       sync.Mutex
	warnings []string
}

func newApplier(tb testing.TB, srv *kubetest.Server) *applier {
	tb.Helper()
	a := &applier{}
	cfg := srv.RESTConfig(srv.AdminToken)
	cfg.WarningHandler = a
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	a.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	if a.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		tb.Fatal(err)
	}
	return a
}

var _ rest.WarningHandler = (*applier)(nil)

// HandleWarningHeader records a warning the API server attached to a
// response.
func (a *applier) HandleWarningHeader(_ int, _ string, text string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.warnings = append(a.warnings, text)
}

// takeWarnings returns the warnings recorded since the last call.
func (a *applier) takeWarnings() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	w := a.warnings
	a.warnings = nil
	return w
}

// create applies obj server-side, as `kubectl apply --server-side` does,
// only as a dry run when dryRun. Applying (not creating) makes a second run
// against the same server update what the first created.
func (a *applier) create(ctx context.Context, obj *unstructured.Unstructured, dryRun bool) error {
	gvk := obj.GroupVersionKind()
	mapping, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: %w", gvk.Kind, obj.GetName(), err)
	}
	var ri dynamic.ResourceInterface = a.dyn.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ri = a.dyn.Resource(mapping.Resource).Namespace(obj.GetNamespace())
	}
	body, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	opts := metav1.PatchOptions{FieldManager: "meeboter-example-test", FieldValidation: metav1.FieldValidationStrict, Force: new(true)}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	if _, err := ri.Patch(ctx, obj.GetName(), types.ApplyPatchType, body, opts); err != nil {
		return fmt.Errorf("%s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
	}
	return nil
}

// apply sends objs in the order given (kustomize puts namespaces first):
// each one in a dry run, then the realKinds for real.
func (a *applier) apply(ctx context.Context, objs []*unstructured.Unstructured) error {
	for _, o := range objs {
		if err := a.create(ctx, o, true); err != nil {
			return fmt.Errorf("dry run: %w", err)
		}
		if slices.Contains(realKinds, o.GetKind()) {
			if err := a.create(ctx, o, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestManifests_APIServer applies the base and the staging overlay to a
// real kube-apiserver, which validates every field of every object.
func TestManifests_APIServer(t *testing.T) {
	t.Parallel()
	srv := kubetest.Shared(t)
	for _, k := range kustomizations {
		t.Run(k.name, func(t *testing.T) {
			// Not parallel: warnings are collected per applier, and the
			// two namespaces differ, so sequential runs cost little.
			a := newApplier(t, srv)
			if err := a.apply(t.Context(), render(t, k.dir)); err != nil {
				t.Fatal(err)
			}
			if w := a.takeWarnings(); len(w) > 0 {
				t.Errorf("the API server warned:\n%s", strings.Join(w, "\n"))
			}
		})
	}
}

// TestManifests_APIServerRejects shows that the apply above can fail: an
// unknown field, a value the server refuses, and a reference to a missing
// namespace are each refused.
func TestManifests_APIServerRejects(t *testing.T) {
	t.Parallel()
	srv := kubetest.Shared(t)
	a := newApplier(t, srv)
	ns := srv.Namespace(t)
	deployment := func(t *testing.T) *unstructured.Unstructured {
		for _, o := range render(t, "base") {
			if o.GetKind() == "Deployment" {
				o.SetNamespace(ns)
				return o
			}
		}
		t.Fatal("base has no Deployment")
		return nil
	}
	tests := []struct {
		name   string
		mutate func(o *unstructured.Unstructured)
		want   string
	}{
		{"UnknownField", func(o *unstructured.Unstructured) {
			_ = unstructured.SetNestedField(o.Object, int64(1), "spec", "replica")
		}, ".spec.replica: field not declared in schema"},
		{"BadQuantity", func(o *unstructured.Unstructured) {
			c := firstContainer(t, o)
			_ = unstructured.SetNestedField(c, "lots", "resources", "limits", "memory")
			setFirstContainer(t, o, c)
		}, "quantities must match"},
		{"MissingNamespace", func(o *unstructured.Unstructured) { o.SetNamespace("no-such-namespace") }, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := deployment(t)
			tt.mutate(o)
			err := a.create(t.Context(), o, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			// Every refusal comes from the server, in a Status, not from
			// the client failing to encode the request.
			var status apierrors.APIStatus
			if !errors.As(err, &status) {
				t.Fatalf("got %v, want the server to refuse the object", err)
			}
			t.Logf("%d %s", status.Status().Code, status.Status().Reason)
		})
	}
}

func firstContainer(tb testing.TB, o *unstructured.Unstructured) map[string]any {
	tb.Helper()
	cs, _, err := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
	if err != nil || len(cs) == 0 {
		tb.Fatalf("%s has no containers: %v", o.GetName(), err)
	}
	return cs[0].(map[string]any)
}

func setFirstContainer(tb testing.TB, o *unstructured.Unstructured, c map[string]any) {
	tb.Helper()
	cs, _, _ := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
	cs[0] = c
	if err := unstructured.SetNestedSlice(o.Object, cs, "spec", "template", "spec", "containers"); err != nil {
		tb.Fatal(err)
	}
}
