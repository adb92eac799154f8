package daemon

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

var update = flag.Bool("update", false, "rewrite api/openapi.json from the code")

// documentFile is the checked-in document, relative to this package.
const documentFile = "../api/openapi.json"

// TestOpenAPIUpToDate is the check that the served document and the code
// agree: it regenerates the document and compares it with the embedded
// one. With -update (what `go generate ./daemon` runs) it rewrites the
// checked-in file instead.
func TestOpenAPIUpToDate(t *testing.T) {
	got, err := buildOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(documentFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, api.OpenAPIDocument) {
		line, was, now := diffLine(api.OpenAPIDocument, got)
		t.Fatalf("api/openapi.json is stale: it differs from the document the routes and wire types generate, "+
			"first at line %d:\n  checked in: %s\n  generated:  %s\n"+
			"regenerate it with `go generate ./daemon` and commit the result",
			line, was, now)
	}
}

// diffLine finds the first line where two documents differ.
func diffLine(a, b []byte) (int, string, string) {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range max(len(al), len(bl)) {
		x, y := lineAt(al, i), lineAt(bl, i)
		if x != y {
			return i + 1, x, y
		}
	}
	return 0, "", ""
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return strings.TrimSpace(lines[i])
	}
	return "(end of document)"
}

// generated is a freshly built document, decoded.
func generated(t *testing.T) map[string]any {
	t.Helper()
	raw, err := buildOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return doc
}

// operations lists a document's operations as "METHOD /path" patterns.
func operations(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			out[strings.ToUpper(method)+" "+path] = op.(map[string]any)
		}
	}
	return out
}

// get follows a path of object members.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
