package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// assets are the static files, embedded so the binary is the whole
// console: no build step, nothing to install beside it.
//
//go:embed static
var assets embed.FS

// staticHashes maps each static file to a hash of its content. Pages link
// /static/<file>?h=<hash>, so a browser may cache a file for good and
// still fetch a new one after an upgrade.
var staticHashes = hashStatic()

func hashStatic() map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(assets, "static")
	for _, e := range entries {
		b, _ := fs.ReadFile(assets, "static/"+e.Name())
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return out
}

// assetURL is the versioned URL of a static file.
func assetURL(name string) string { return "/static/" + name + "?h=" + staticHashes[name] }

// staticHandler serves the embedded static files: cached for a year when
// the request names the current hash, revalidated otherwise.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		want, ok := staticHashes[name]
		if !ok || strings.Contains(strings.TrimPrefix(r.URL.Path, "/static/"), "/") {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("h") == want {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
