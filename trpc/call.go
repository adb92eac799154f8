package trpc

import (
	"context"
	"encoding/json"
	"net/http"
)

// kind is a procedure's type, which fixes the HTTP method it answers to.
type kind int

const (
	query    kind = iota // GET
	mutation             // POST
)

func (k kind) method() string {
	if k == query {
		return http.MethodGet
	}
	return http.MethodPost
}

func (k kind) String() string {
	if k == query {
		return "query"
	}
	return "mutation"
}

// procedure is one callable path: it decodes its input, runs, and returns
// the value to encode (superjson.Undefined for void).
type procedure struct {
	kind kind
	run  func(ctx context.Context, s *server, id Identity, input json.RawMessage) (any, error)
}

// callContext runs the calls of one HTTP request, authenticating at most
// once for all of them.
type callContext struct {
	s       *server
	r       *http.Request
	authed  bool
	id      Identity
	authErr error
}

// call runs one procedure call and never panics: a panic in a Backend is
// answered as INTERNAL_SERVER_ERROR and logged.
func (c *callContext) call(path string, input json.RawMessage) (out outcome) {
	out.path = path
	defer func() {
		if v := recover(); v != nil {
			c.s.opts.Logger.Error("bot protocol call panicked", "path", path, "panic", v)
			out.err = newError(codeInternal, "Internal server error")
		}
	}()
	v, err := c.run(path, input)
	if err == nil {
		out.data, err = encode(v)
	}
	if err != nil {
		ce, ok := classify(err)
		if !ok {
			c.s.opts.Logger.Error("bot protocol call failed", "path", path, "err", err)
		}
		out.err, out.data = ce, nil
	}
	return out
}

// run looks the procedure up, checks the method and the token, and runs it,
// in the order tRPC does (an unknown path is NOT_FOUND even without token).
func (c *callContext) run(path string, input json.RawMessage) (any, error) {
	p, ok := procedures[path]
	if !ok {
		return nil, newError(codeNotFound, "No procedure found on path %q", path)
	}
	if c.r.Method != p.kind.method() {
		return nil, newError(codeMethod, "Unsupported %s-request to %s procedure at path %q", c.r.Method, p.kind, path)
	}
	id, err := c.identity()
	if err != nil {
		return nil, err
	}
	return p.run(c.r.Context(), c.s, id, input)
}

// identity authenticates the request's token once.
func (c *callContext) identity() (Identity, error) {
	if !c.authed {
		c.authed = true
		c.id, c.authErr = c.s.authenticate(c.r.Context(), c.r.Header.Get(TokenHeader))
	}
	return c.id, c.authErr
}
