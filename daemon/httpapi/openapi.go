package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
)

// The OpenAPI document is generated from userRoutes, the endpoint tables of
// package openapigen and the wire types of package api, then checked in as
// api/openapi.json and embedded in the binary (the generator is not).
// After changing any of them, regenerate it with `go generate
// ./daemon/httpapi/openapigen`, which runs TestOpenAPIUpToDate with
// -update; without -update that test fails while the checked-in document
// is stale.

// staticPage is a response body that never changes while the daemon runs,
// with a strong validator so clients revalidate cheaply.
type staticPage struct {
	body []byte
	etag string
}

func newStaticPage(body []byte) staticPage {
	sum := sha256.Sum256(body)
	return staticPage{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// serve answers GET and HEAD, with 304 to a matching If-None-Match. The
// document changes only with the binary, so caches may keep it but must
// revalidate: a cheap 304 after an upgrade-free day, the new document
// right after an upgrade.
func (p staticPage) serve(w http.ResponseWriter, r *http.Request, contentType string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", p.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p.body))
}

var openAPIPage = sync.OnceValue(func() staticPage { return newStaticPage(api.OpenAPIDocument) })

// serveOpenAPI serves the embedded OpenAPI document.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	openAPIPage().serve(w, r, "application/json")
}

var docsPage = sync.OnceValues(func() (staticPage, error) {
	body, err := renderDocs(api.OpenAPIDocument)
	return newStaticPage(body), err
})

// serveDocs serves the API reference as one HTML page rendered from the
// embedded document. It has no script and loads nothing, so it works
// offline and under a strict content security policy.
func serveDocs(w http.ResponseWriter, r *http.Request) {
	page, err := docsPage()
	if err != nil {
		http.Error(w, "the API reference could not be rendered: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	page.serve(w, r, "text/html; charset=utf-8")
}
