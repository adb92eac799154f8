package packaging

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBinary_MethodsPruned checks that the linker still drops the methods
// nothing calls. It stops doing so for the whole program once anything
// reachable looks a method up by name (text/template's executor, which
// html/template and cobra's template setters use): every exported method
// of every type kept in an interface then stays, the whole S3 and ECS
// client APIs among them, and the binary grows by about 17 MB.
func TestBinary_MethodsPruned(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := string(out)
	const unused = "service/s3.(*Client).PutBucketLifecycleConfiguration"
	if strings.Contains(syms, unused) {
		t.Errorf("the binary holds %s, which nothing calls: something reachable calls reflect's Method or MethodByName (a template executor?); "+
			"find it with: go build -o /dev/null -ldflags=-dumpdep ./cmd/meeboter 2>&1 | grep ReflectMethod", unused)
	}
	if !strings.Contains(syms, "service/s3.(*Client).PutObject") {
		t.Error("the binary holds no s3 PutObject: this test no longer looks at the right symbols")
	}
	if fi, err := os.Stat(bin); err == nil {
		t.Logf("binary: %.1f MB", float64(fi.Size())/1e6)
	}
}
