package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
)

// maxBody bounds every JSON request body; bulk requests of 1,000 ids fit.
const maxBody = 1 << 20

// created marks a handler result answered with 201.
type created struct{ v any }

// noContent marks a handler result answered with 204.
type noContent struct{}

// handlerFunc is the shape of every API handler: decode, call, return the
// value to encode or an error to map. Encoding, error mapping and logging
// happen once, in wrap.
type handlerFunc func(w http.ResponseWriter, r *http.Request) (any, error)

func (a *API) wrap(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkQuery(r); err != nil {
			a.writeError(w, r, err)
			return
		}
		out, err := h(w, r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeResult(w, out)
	}
}

func writeResult(w http.ResponseWriter, out any) {
	switch v := out.(type) {
	case noContent:
		w.WriteHeader(http.StatusNoContent)
	case created:
		writeJSON(w, http.StatusCreated, v.v)
	case rawJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(v)
	case pooledJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(*v.buf)
		v.release()
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

// rawJSON is an answer encoded already, for the hot paths that write
// their few fields without reflection.
type rawJSON []byte

// pooledJSON is rawJSON in a buffer of listBufs, given back once written.
type pooledJSON struct{ buf *[]byte }

var listBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// release gives the buffer back, unless a huge page made it too large to
// keep.
func (p pooledJSON) release() {
	if cap(*p.buf) <= 1<<20 {
		listBufs.Put(p.buf)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError logs 4xx at debug and 5xx at error, with the cause that the
// response body never shows.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	pe := problemFor(err)
	level := slog.LevelDebug
	if pe.status >= 500 && r.Context().Err() == nil { // not a client that went away
		level = slog.LevelError
	}
	a.log.Log(r.Context(), level, "request failed", "method", r.Method, "path", r.URL.Path, "status", pe.status, "err", err)
	writeProblem(w, r, pe)
}

// decodeJSON reads a JSON body into v. Unknown fields are refused, so a
// misspelt field is an error rather than silently ignored; type errors name
// the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONWith(w, r, v, true)
}

func decodeJSONWith(w http.ResponseWriter, r *http.Request, v any, strictText bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			return newProblem(http.StatusUnsupportedMediaType, api.CodeUnsupportedMedia, "send application/json")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return timeFieldError(body, v)
		}
		return jsonError(err)
	}
	if dec.More() {
		return errBadRequest("the body holds more than one JSON value")
	}
	if !strictText {
		return nil
	}
	return checkText(v)
}

// decodeBotJSON decodes a bot's request like decodeJSON but leaves its
// text unchecked: the agent service cleans what bots send instead of
// refusing it, since a bot resends a refused batch for ever.
func decodeBotJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONWith(w, r, v, false)
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return errBadRequest("the body is empty; send a JSON object")
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &te) && te.Field == "":
		return errBadRequest("the body must be a JSON object")
	case errors.As(err, &te):
		return domain.Invalid(te.Field, "must be %s", describeType(te.Type.String()))
	case errors.As(err, &se):
		return errBadRequest("malformed JSON at byte %d", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return domain.Invalid(field, "is not a known field")
	}
	return errBadRequest("malformed JSON: %v", err)
}

func describeType(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "map"), strings.Contains(t, "."):
		return "an object"
	}
	return "of type " + t
}

// pathID parses the {id} path value: a positive integer, else 404 (an id
// that cannot exist names nothing).
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound(name)
	}
	return id, nil
}
