package packaging

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// dockerfilePath is the image's Dockerfile, relative to the repository.
const dockerfilePath = "packaging/docker/Dockerfile"

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

// parseDockerfile splits a Dockerfile into instructions: comments and
// blank lines dropped, backslash continuations joined.
func parseDockerfile(src string) []instruction {
	var out []instruction
	var cur strings.Builder
	for line := range strings.Lines(src) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.Join(strings.Fields(args), " ")})
		cur.Reset()
	}
	return out
}

// image is what the Dockerfile declares about the running container.
type image struct {
	from, user, workdir, copy string
	env                       map[string]string
	expose                    []string
	entrypoint, cmd           []string
	healthcheck               []string // the exec-form command, "CMD" dropped
	runs                      int
	order                     []string
}

func loadImage(tb testing.TB) image {
	tb.Helper()
	img := image{env: map[string]string{}}
	execForm := func(ins instruction) []string {
		var argv []string
		if err := json.Unmarshal([]byte(ins.args), &argv); err != nil {
			tb.Fatalf("%s %s: want the exec (JSON) form, since the image has no shell: %v", ins.cmd, ins.args, err)
		}
		return argv
	}
	for _, ins := range parseDockerfile(string(readFile(tb, dockerfilePath))) {
		img.order = append(img.order, ins.cmd)
		switch ins.cmd {
		case "FROM":
			img.from = ins.args
		case "USER":
			img.user = ins.args
		case "WORKDIR":
			img.workdir = ins.args
		case "COPY":
			img.copy = ins.args
		case "RUN":
			img.runs++
		case "EXPOSE":
			img.expose = strings.Fields(ins.args)
		case "ENV":
			for kv := range strings.FieldsSeq(ins.args) {
				k, v, _ := strings.Cut(kv, "=")
				img.env[k] = v
			}
		case "ENTRYPOINT":
			img.entrypoint = execForm(ins)
		case "CMD":
			img.cmd = execForm(ins)
		case "HEALTHCHECK":
			_, after, ok := strings.Cut(ins.args, " CMD ")
			if !ok {
				tb.Fatalf("HEALTHCHECK %s: want HEALTHCHECK [options] CMD [...]", ins.args)
			}
			img.healthcheck = execForm(instruction{"HEALTHCHECK", after})
		}
	}
	return img
}

// TestDockerfile checks the image's contract: the released static binary
// on distroless as uid 65532, the data dir writable, the container
// defaults, and a health check the image can run without a shell.
func TestDockerfile(t *testing.T) {
	t.Parallel()
	img := loadImage(t)
	if !strings.HasPrefix(img.from, "gcr.io/distroless/static") || !strings.HasSuffix(img.from, ":nonroot") {
		t.Errorf("FROM %s, want distroless static, nonroot", img.from)
	}
	if img.runs > 0 {
		t.Errorf("%d RUN instructions; the base has no shell to run them", img.runs)
	}
	// goreleaser's dockers_v2 puts each platform's binary at <os>/<arch>/.
	if img.copy != "${TARGETPLATFORM}/meeboter /meeboter" {
		t.Errorf("COPY %s, want the release binary from ${TARGETPLATFORM}/meeboter", img.copy)
	}
	if img.user != "65532:65532" {
		t.Errorf("USER %q, want 65532:65532", img.user)
	}
	if slices.Index(img.order, "USER") > slices.Index(img.order, "WORKDIR") {
		t.Error("USER must come before WORKDIR, which creates the data dir owned by that user")
	}
	want := map[string]string{
		"MEEBOTER_LISTEN":     "0.0.0.0:3000",
		"MEEBOTER_DATA_DIR":   img.workdir,
		"MEEBOTER_LOG_FORMAT": "json",
		"MEEBOTER_CONFIG":     img.workdir + "/cli-config.yaml",
	}
	for k, v := range want {
		if img.env[k] != v || v == "" {
			t.Errorf("ENV %s=%q, want %q", k, img.env[k], v)
		}
	}
	if !slices.Equal(img.expose, []string{"3000"}) {
		t.Errorf("EXPOSE %v, want 3000", img.expose)
	}
	if !slices.Equal(img.entrypoint, []string{"/meeboter"}) || !slices.Equal(img.cmd, []string{"serve"}) {
		t.Errorf("ENTRYPOINT %v CMD %v, want [/meeboter] [serve]", img.entrypoint, img.cmd)
	}
	if len(img.healthcheck) < 2 || !slices.Equal(img.healthcheck[:2], []string{"/meeboter", "health"}) {
		t.Errorf("HEALTHCHECK runs %v, want /meeboter health", img.healthcheck)
	}
}

// TestParseDockerfile pins the parser the checks above rely on.
func TestParseDockerfile(t *testing.T) {
	t.Parallel()
	got := parseDockerfile("# c\nFROM a:b\n\nENV X=1 \\\n    Y=2\nhealthcheck --interval=1s \\\n  CMD [\"/x\", \"y\"]\n")
	want := []instruction{{"FROM", "a:b"}, {"ENV", "X=1 Y=2"}, {"HEALTHCHECK", `--interval=1s CMD ["/x", "y"]`}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
