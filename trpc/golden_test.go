package trpc_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/internal/fakebackend"
)

var update = flag.Bool("update", false, "rewrite the response sections of testdata/golden")

// goldenCase is one testdata/golden file: a raw request and the exact
// response expected for it, against a fresh fakebackend.Standard().
//
//	-- request --
//	METHOD /target            (a query's input may be written as raw JSON after "&input=")
//	Header: value
//
//	body
//	-- response --
//	STATUS
//	body
type goldenCase struct {
	method, target string
	header         http.Header
	body           string
	status         int
	want           string
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	gc, err := parseGolden(string(raw))
	if err != nil && !*update {
		t.Fatalf("%s: %v", file, err)
	}
	srv := httptest.NewServer(trpc.Handler(fakebackend.Standard(), trpc.Options{}))
	defer srv.Close()
	status, body := doGolden(t, srv.URL, gc)
	if *update {
		rewriteGolden(t, file, string(raw), status, body)
		return
	}
	if status != gc.status || body != gc.want {
		t.Errorf("got  %d %s\nwant %d %s", status, body, gc.status, gc.want)
	}
}

func doGolden(t *testing.T, base string, gc goldenCase) (int, string) {
	req, err := http.NewRequest(gc.method, base+encodeTarget(gc.target), strings.NewReader(gc.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = gc.header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSuffix(string(body), "\n")
}

// encodeTarget URL-encodes a query input written as raw JSON.
func encodeTarget(target string) string {
	head, input, ok := strings.Cut(target, "&input=")
	if !ok || !strings.HasPrefix(input, "{") {
		return target
	}
	return head + "&input=" + url.QueryEscape(input)
}

func parseGolden(s string) (goldenCase, error) {
	_, rest, ok := strings.Cut(s, "-- request --\n")
	reqPart, respPart, ok2 := strings.Cut(rest, "-- response --\n")
	if !ok || !ok2 {
		return goldenCase{}, fmt.Errorf("missing sections")
	}
	head, body, _ := strings.Cut(reqPart, "\n\n")
	lines := strings.Split(head, "\n")
	method, target, _ := strings.Cut(lines[0], " ")
	gc := goldenCase{method: method, target: target, header: http.Header{}, body: strings.TrimRight(body, "\n")}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ": "); ok {
			gc.header.Add(k, v)
		}
	}
	statusLine, want, _ := strings.Cut(respPart, "\n")
	gc.want = strings.TrimSuffix(want, "\n")
	var err error
	gc.status, err = strconv.Atoi(strings.TrimSpace(statusLine))
	return gc, err
}

func rewriteGolden(t *testing.T, file, raw string, status int, body string) {
	head, _, _ := strings.Cut(raw, "-- response --\n")
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s-- response --\n%d\n%s\n", head, status, body)
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
