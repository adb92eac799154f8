package trpc

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// batchRequest is one HTTP request split into calls. inputs[i] is the
// superjson envelope of call i, nil when the call has no input.
type batchRequest struct {
	batch  bool
	paths  []string
	inputs []json.RawMessage
}

// parseBatch splits a request the way tRPC's httpBatchLink builds it:
// procedure paths joined by "," in the URL, and an input object keyed by
// position ("0", "1", ...) in the "input" query parameter (GET) or the body
// (POST). Without batch=1 the path is one procedure and the input its
// envelope. Errors concern the whole request.
func parseBatch(method, procPath string, query url.Values, body []byte, maxCalls int) (batchRequest, error) {
	req := batchRequest{batch: query.Get("batch") == "1", paths: []string{procPath}}
	if req.batch {
		req.paths = strings.Split(procPath, ",")
	}
	if len(req.paths) > maxCalls {
		return req, newError(codeBadRequest, "Batch of more than %d calls", maxCalls)
	}
	req.inputs = make([]json.RawMessage, len(req.paths))
	raw := rawInput(method, query, body)
	if raw == nil {
		return req, nil
	}
	if in := singleInput(raw); in != nil && req.batch && len(req.inputs) == 1 {
		req.inputs[0] = in
		return req, nil
	}
	if !json.Valid(raw) {
		return req, newError(codeParse, "Unable to parse input: not valid JSON")
	}
	if !req.batch {
		req.inputs[0] = raw
		return req, nil
	}
	return req, splitInputs(raw, req.inputs)
}

// rawInput returns the request's input container, nil when there is none.
func rawInput(method string, query url.Values, body []byte) json.RawMessage {
	if method == http.MethodGet {
		if !query.Has("input") {
			return nil
		}
		return json.RawMessage(query.Get("input"))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return json.RawMessage(body)
}

// splitInputs spreads a batch's positional input object over inputs. Keys
// that match no call are ignored, as tRPC does.
func splitInputs(raw json.RawMessage, inputs []json.RawMessage) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return newError(codeBadRequest, `Batch input must be an object keyed by call position`)
	}
	var byPos map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byPos); err != nil {
		return newError(codeParse, "Unable to parse input: %v", err)
	}
	for i := range inputs {
		if v, ok := byPos[strconv.Itoa(i)]; ok {
			inputs[i] = v
		}
	}
	return nil
}
