package packaging

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// releaseConfig is the part of goreleaser.yaml the tests check.
type releaseConfig struct {
	Dist   string `json:"dist,omitempty"`
	Builds []struct {
		ID      string   `json:"id"`
		Env     []string `json:"env"`
		Goos    []string `json:"goos"`
		Goarch  []string `json:"goarch"`
		Flags   []string `json:"flags"`
		Ldflags []string `json:"ldflags"`
	} `json:"builds"`
	Archives []struct {
		Files []string `json:"files"`
	} `json:"archives"`
	DockersV2 []struct {
		IDs        []string          `json:"ids"`
		Dockerfile string            `json:"dockerfile"`
		Images     []string          `json:"images"`
		Platforms  []string          `json:"platforms"`
		Labels     map[string]string `json:"labels"`
	} `json:"dockers_v2"`
	NFPMs []struct {
		IDs      []string `json:"ids"`
		Formats  []string `json:"formats"`
		Bindir   string   `json:"bindir"`
		Contents []struct {
			Src      string `json:"src"`
			Dst      string `json:"dst"`
			Type     string `json:"type"`
			FileInfo struct {
				Mode int `json:"mode"`
			} `json:"file_info"`
		} `json:"contents"`
		Scripts map[string]string `json:"scripts"`
	} `json:"nfpms"`
}

func loadReleaseConfig(tb testing.TB) releaseConfig {
	tb.Helper()
	var c releaseConfig
	if err := yaml.Unmarshal(readFile(tb, "goreleaser.yaml"), &c); err != nil {
		tb.Fatalf("goreleaser.yaml: %v", err)
	}
	if len(c.Builds) != 1 || len(c.DockersV2) != 1 || len(c.NFPMs) != 1 || len(c.Archives) != 1 {
		tb.Fatalf("goreleaser.yaml: want one build, image, package set and archive; update the tests")
	}
	return c
}

// TestReleaseConfig checks what goreleaser check does not: that the image
// and the packages take the release build (static, versioned, both
// architectures), and that every file they ship exists.
func TestReleaseConfig(t *testing.T) {
	t.Parallel()
	c := loadReleaseConfig(t)
	b, img, pkg := c.Builds[0], c.DockersV2[0], c.NFPMs[0]
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Error("the build must be static (CGO_ENABLED=0): the image's base has no C library")
	}
	if !slices.ContainsFunc(b.Ldflags, func(f string) bool { return strings.Contains(f, "cli.version={{.Version}}") }) {
		t.Error("ldflags no longer set cli.version; `meeboter version` would say dev")
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) || !slices.Contains(img.Platforms, "linux/"+arch) {
			t.Errorf("want %s built and in the image's platforms", arch)
		}
	}
	if !slices.Equal(img.IDs, []string{b.ID}) || !slices.Equal(pkg.IDs, []string{b.ID}) {
		t.Errorf("image takes %v and packages %v, want the build %q", img.IDs, pkg.IDs, b.ID)
	}
	if img.Dockerfile != dockerfilePath {
		t.Errorf("image built from %s, but the tests check %s", img.Dockerfile, dockerfilePath)
	}
	for _, l := range []string{"title", "source", "version", "revision", "created"} {
		if img.Labels["org.opencontainers.image."+l] == "" {
			t.Errorf("image lacks the OCI label org.opencontainers.image.%s", l)
		}
	}
	for _, cnt := range pkg.Contents {
		if cnt.Src != "" {
			mustExist(t, cnt.Src)
		}
	}
	for _, s := range pkg.Scripts {
		mustExist(t, s)
	}
	for _, pattern := range c.Archives[0].Files {
		if strings.Contains(pattern, "**") { // goreleaser's own glob syntax
			continue
		}
		if m, err := filepath.Glob(filepath.Join(root, pattern)); err != nil || len(m) == 0 {
			t.Errorf("archive file %s matches nothing", pattern)
		}
	}
}

func mustExist(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(root, path)); err != nil {
		tb.Errorf("goreleaser.yaml ships %s: %v", path, err)
	}
}
