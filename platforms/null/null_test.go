package null_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/null"
)

// TestNull: a deploy starts nothing but is listed and recorded with its
// token in a file only the owner reads; a redeploy's token wins.
func TestNull(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "null")
	p, err := null.New(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	spec := func(id int64, token string) platforms.DeploySpec {
		return platforms.DeploySpec{BotID: id, Env: map[string]string{"MILO_AUTH_TOKEN": token}}
	}
	a, err := p.Deploy(t.Context(), spec(1, "t1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deploy(t.Context(), spec(2, "t2")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deploy(t.Context(), spec(1, "t1b")); err != nil {
		t.Fatal(err)
	}
	if r, err := p.Status(t.Context(), a); err != nil || r.State != platforms.StateRunning || r.BotID != 1 {
		t.Fatalf("status %+v, %v", r, err)
	}
	must(t, p.Stop(t.Context(), a))
	must(t, p.Stop(t.Context(), a))
	if _, err := p.Status(t.Context(), a); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("a stopped resource: %v", err)
	}
	if l, _ := p.List(t.Context()); len(l) != 2 {
		t.Fatalf("listed %d, want 2", len(l))
	}
	path := filepath.Join(dir, null.TokensFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("tokens file %v, %v", fi, err)
	}
	got, err := null.ReadTokens(path)
	if err != nil || len(got) != 2 || got[1] != "t1b" || got[2] != "t2" {
		t.Fatalf("tokens %v, %v", got, err)
	}
	if p.Capacity() != 3 || p.Name() != "null" {
		t.Fatalf("capacity %d, name %s", p.Capacity(), p.Name())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
