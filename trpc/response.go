package trpc

import (
	"bytes"
	"net/http"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// outcome is the result of one call: an encoded superjson envelope, or an
// error.
type outcome struct {
	path string
	data []byte
	err  *callError
}

// errorShape is tRPC's default error shape plus the reference server's
// zodError field (always null here: input errors are described in message).
// A request-level error has no path.
type errorShape struct {
	Message string    `json:"message"`
	Code    int       `json:"code"`
	Data    errorData `json:"data"`
}

type errorData struct {
	Code       string `json:"code"`
	HTTPStatus int    `json:"httpStatus"`
	Path       string `json:"path,omitempty"`
	ZodError   any    `json:"zodError"`
}

// writeOutcomes writes a batch as an array in call order, a single call as
// one object, with tRPC's status rule: 200 when all succeeded, the shared
// status when all failed alike, 207 otherwise.
func writeOutcomes(w http.ResponseWriter, batch bool, outs []outcome) {
	var buf bytes.Buffer
	if batch {
		buf.WriteByte('[')
	}
	for i, o := range outs {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeOutcome(&buf, o)
	}
	if batch {
		buf.WriteByte(']')
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(batchStatus(outs))
	_, _ = w.Write(buf.Bytes())
}

// writeOutcome writes {"result":{"data":<envelope>}} or
// {"error":<envelope of the error shape>}. Both keep superjson's "json"
// wrapper: without it the bots cannot read the answer.
func writeOutcome(buf *bytes.Buffer, o outcome) {
	if o.err == nil {
		buf.WriteString(`{"result":{"data":`)
		buf.Write(o.data)
		buf.WriteString(`}}`)
		return
	}
	env, err := superjson.Encode(errorShape{
		Message: o.err.message,
		Code:    o.err.code.rpc,
		Data:    errorData{Code: o.err.code.name, HTTPStatus: o.err.code.status, Path: o.path},
	})
	if err != nil { // cannot happen: the shape holds only strings and ints
		env = []byte(`{"json":{"message":"Internal server error","code":-32603}}`)
	}
	buf.WriteString(`{"error":`)
	buf.Write(env)
	buf.WriteByte('}')
}

func status(o outcome) int {
	if o.err == nil {
		return http.StatusOK
	}
	return o.err.code.status
}

func batchStatus(outs []outcome) int {
	if len(outs) == 0 {
		return http.StatusOK
	}
	first := status(outs[0])
	for _, o := range outs[1:] {
		if status(o) != first {
			return http.StatusMultiStatus
		}
	}
	return first
}
