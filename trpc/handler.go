// Package trpc answers the protocol the existing Meeboter bot containers
// speak: tRPC v11 over HTTP with superjson (queries by batched GET,
// mutations by batched POST) under /api/trpc, and multipart screenshot
// uploads under /api/bots/{id}/screenshots. It decodes, validates and
// authorizes every call, then hands it to a Backend, so the bot images run
// unchanged against the daemon.
package trpc

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Options bound what one request may cost. Zero values take the defaults.
type Options struct {
	// MaxBodyBytes caps a tRPC POST body. The bots re-send up to 500 log
	// entries after a failure (hundreds of KB); default 8 MiB.
	MaxBodyBytes int64
	// MaxBatchCalls caps the calls in one batch; default 64.
	MaxBatchCalls int
	// MaxScreenshotBytes caps a screenshot upload (file and fields);
	// default 20 MiB, above the 10 MB the protocol asks to accept.
	MaxScreenshotBytes int64
	// Logger receives the errors hidden from bots (unclassified Backend
	// errors, panics); nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 8 << 20
	}
	if o.MaxBatchCalls <= 0 {
		o.MaxBatchCalls = 64
	}
	if o.MaxScreenshotBytes <= 0 {
		o.MaxScreenshotBytes = 20 << 20
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// server serves the bot protocol for one Backend.
type server struct {
	backend Backend
	opts    Options
}

// Handler returns a handler serving /api/trpc/ and
// POST /api/bots/{id}/screenshots, for use as-is or under another mux.
func Handler(backend Backend, opts Options) http.Handler {
	mux := http.NewServeMux()
	Mount(mux, backend, opts)
	return mux
}

// Mount registers the bot protocol's routes on mux.
func Mount(mux *http.ServeMux, backend Backend, opts Options) {
	s := &server{backend: backend, opts: opts.withDefaults()}
	mux.HandleFunc("/api/trpc/", s.serveTRPC)
	mux.HandleFunc("POST /api/bots/{id}/screenshots", s.serveScreenshot)
}

// serveTRPC answers one tRPC HTTP request, batched or not.
func (s *server) serveTRPC(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	procPath := strings.TrimPrefix(r.URL.Path, "/api/trpc/")
	body, bodyErr := s.readBody(w, r)
	req, err := parseBatch(r.Method, procPath, queryOf(r.URL), body, s.opts.MaxBatchCalls)
	if err == nil {
		err = bodyErr
	}
	if err != nil {
		// A request-level failure is one error object, as tRPC answers
		// it; the bots' client applies a lone object to every call.
		ce, _ := classify(err)
		writeOutcomes(w, false, []outcome{{err: ce}})
		return
	}
	outs := make([]outcome, len(req.paths))
	c := &callContext{s: s, r: r}
	for i, p := range req.paths {
		outs[i] = c.call(p, req.inputs[i])
	}
	writeOutcomes(w, req.batch, outs)
}

// batchOne is the query string of every call the bots make, parsed once.
// It is shared, so nothing may change it: parseBatch only reads.
var batchOne = url.Values{"batch": {"1"}}

// queryOf parses the request's query string, the bots' "batch=1" without a
// map of its own each time.
func queryOf(u *url.URL) url.Values {
	if u.RawQuery == "batch=1" {
		return batchOne
	}
	return u.Query()
}

// readBody reads a POST body within MaxBodyBytes. Queries have no body.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Method != http.MethodPost {
		return nil, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(strings.ToLower(ct), "json") {
		return nil, newError(codeMediaType, "Unsupported content-type %q", ct)
	}
	if n := r.ContentLength; n >= 0 && n <= s.opts.MaxBodyBytes {
		// The length is known: one buffer of that size, where ReadAll
		// would start at 512 bytes for a heartbeat's thirty.
		body := make([]byte, n)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			return nil, newError(codeBadRequest, "Unable to read request body")
		}
		return body, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, newError(codeTooLarge, "Request body larger than %d bytes", tooBig.Limit)
	}
	if err != nil {
		return nil, newError(codeBadRequest, "Unable to read request body")
	}
	return body, nil
}
