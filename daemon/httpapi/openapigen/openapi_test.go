package openapigen

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/httpapi/internal/docwalk"
)

var update = flag.Bool("update", false, "rewrite api/openapi.json from the code")

// documentFile is the checked-in document, relative to this package.
const documentFile = "../../../api/openapi.json"

// TestOpenAPIUpToDate is the check that the served document and the code
// agree: it regenerates the document and compares it with the embedded
// one. With -update (what `go generate ./daemon/httpapi/openapigen` runs) it rewrites the
// checked-in file instead.
func TestOpenAPIUpToDate(t *testing.T) {
	got, err := Build()
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
			"regenerate it with `go generate ./daemon/httpapi/openapigen` and commit the result",
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
	raw, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return doc
}

var (
	operations = docwalk.Operations
	get        = docwalk.Get
)
