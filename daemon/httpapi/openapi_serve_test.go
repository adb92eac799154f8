package httpapi

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/httpapi/internal/docwalk"
)

// serve asks the daemon's whole handler, so the routes are tested too. A
// zero API suffices: neither page touches the store.
func serve(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	(&API{}).Handler().ServeHTTP(rec, req)
	return rec
}

func TestServeOpenAPI(t *testing.T) {
	rec := serve(t, httptest.NewRequest("GET", "/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), api.OpenAPIDocument) {
		t.Error("the body is not the embedded document")
	}
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Cache-Control") == "" {
		t.Fatalf("no caching headers: %v", rec.Header())
	}
	req := httptest.NewRequest("GET", "/openapi.json", nil)
	req.Header.Set("If-None-Match", etag)
	if rec := serve(t, req); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation answered %d, want 304", rec.Code)
	}
}

func TestServeDocs(t *testing.T) {
	rec := serve(t, httptest.NewRequest("GET", "/docs", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /docs: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	page := html.UnescapeString(rec.Body.String())
	for _, forbidden := range []string{"<script", "http://", "https://cdn"} {
		if strings.Contains(page, forbidden) {
			t.Errorf("the page contains %q; it must be self-contained", forbidden)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	for pattern, op := range docwalk.Operations(doc) {
		method, path, _ := strings.Cut(pattern, " ")
		heading := `<span class="method ` + method + `">` + method + `</span> <span class="path">` + path + `</span>`
		if !strings.Contains(page, heading) {
			t.Errorf("the page does not list %s", pattern)
		}
		if summary := op["summary"].(string); !strings.Contains(page, summary) {
			t.Errorf("the page lacks the summary of %s", pattern)
		}
	}
	for name := range docwalk.Get(doc, "components", "schemas").(map[string]any) {
		if !strings.Contains(page, `id="schema-`+name+`"`) {
			t.Errorf("the page does not describe schema %s", name)
		}
	}
}
