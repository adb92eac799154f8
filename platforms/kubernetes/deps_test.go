package kubernetes

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDeps_OnlyCoreAndBatch keeps the meeboter binary free of client-go's
// generated clientset, informers and listers, and of every API group the
// platform does not use: importing any of them, even for one type,
// registers all API groups at init and adds tens of megabytes.
func TestDeps_OnlyCoreAndBatch(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", "../../cmd/meeboter").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/meeboter/meeboter/platforms/kubernetes") {
		t.Fatal("the binary no longer links this package: the check would prove nothing")
	}
	// batch/v1 imports scheduling/v1alpha3 for one type of its own.
	allowed := []string{"k8s.io/api/core/v1", "k8s.io/api/batch/v1", "k8s.io/api/scheduling/v1alpha3"}
	for _, dep := range deps {
		switch {
		case strings.HasPrefix(dep, "k8s.io/client-go/kubernetes"),
			strings.HasPrefix(dep, "k8s.io/client-go/informers"),
			strings.HasPrefix(dep, "k8s.io/client-go/listers"),
			strings.HasPrefix(dep, "k8s.io/api/") && !slices.Contains(allowed, dep):
			t.Errorf("the binary links %s", dep)
		}
	}
}
