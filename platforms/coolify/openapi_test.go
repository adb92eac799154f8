package coolify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

// docServer is the server of Coolify's document; requests are routed as
// if sent there.
const docServer = "https://app.coolify.io"

// loadDoc reads the document as shipped.
func loadDoc() (*openapi3.T, error) {
	raw, err := os.ReadFile("testdata/coolify-openapi-subset.json")
	if err != nil {
		return nil, err
	}
	return openapi3.NewLoader().LoadFromData(raw)
}

var spec = sync.OnceValues(func() (routers.Router, error) {
	d, err := loadDoc()
	if err != nil {
		return nil, err
	}
	for _, e := range docExceptions {
		e.apply(d)
	}
	if err := d.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the document with its exceptions does not validate: %w", err)
	}
	return legacy.NewRouter(d)
})

// checkedTransport validates every exchange it carries against the
// document and fails the test on any mismatch. Answers a fault spoiled on
// purpose (coolifytest.FaultHeader) are left out.
type checkedTransport struct {
	t     testing.TB
	next  http.RoundTripper
	mu    sync.Mutex
	count int
}

func newCheckedTransport(t testing.TB, next http.RoundTripper) *checkedTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &checkedTransport{t: t, next: next}
}

// exchanges is how many exchanges were checked.
func (c *checkedTransport) exchanges() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

func (c *checkedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err != nil {
		return resp, nil // a cut connection; the client sees the same
	}
	if verr := checkExchange(req, reqBody, resp, respBody); verr != nil {
		c.t.Errorf("%s %s -> %d: not as Coolify's document says: %v", req.Method, req.URL.Path, resp.StatusCode, verr)
	}
	c.mu.Lock()
	c.count++
	c.mu.Unlock()
	return resp, nil
}

func checkExchange(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	router, err := spec()
	if err != nil {
		return err
	}
	r := req.Clone(context.Background())
	u := *req.URL
	u.Scheme, u.Host = "https", strings.TrimPrefix(docServer, "https://")
	r.URL, r.Host = &u, u.Host
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(r)
	if err != nil {
		return checkMoved(req, resp, respBody, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerAuth, MultiError: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	if resp.Header.Get(coolifytest.FaultHeader) != "" {
		return nil
	}
	if route.Operation.Responses.Status(resp.StatusCode) == nil {
		return checkErrorShape(resp.StatusCode, respBody)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Body: io.NopCloser(bytes.NewReader(respBody)), Options: &openapi3filter.Options{MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

// checkMoved accepts a request the document has no route for only if it is
// one of the GET routes that moved to POST, answered as Coolify does.
func checkMoved(req *http.Request, resp *http.Response, body []byte, routeErr error) error {
	moved := req.Method == http.MethodGet && slices.ContainsFunc(movedGETs, func(p string) bool { return strings.HasSuffix(req.URL.Path, p) })
	if !moved {
		return fmt.Errorf("no such operation in the document: %w", routeErr)
	}
	var m struct{ Message string }
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" ||
		json.Unmarshal(body, &m) != nil || m.Message != "This endpoint has changed to a POST request." {
		return fmt.Errorf("a moved GET route must answer 405, Allow: POST and Coolify's message; got %d %q", resp.StatusCode, body)
	}
	return nil
}

// checkErrorShape checks an answer whose status the document leaves out:
// Coolify's error object, a message and, for validation, errors by field.
func checkErrorShape(status int, body []byte) error {
	if !slices.Contains([]int{404, 405, 422, 429}, status) {
		return fmt.Errorf("status %d is neither documented nor one Coolify is known to send", status)
	}
	var e struct {
		Message *string         `json:"message"`
		Errors  json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Message == nil {
		return fmt.Errorf("status %d: want {message[, errors]}, got %q", status, body)
	}
	if len(e.Errors) > 0 && e.Errors[0] != '{' {
		return fmt.Errorf("status %d: errors must be an object by field, got %s", status, e.Errors)
	}
	return nil
}

func bearerAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); !ok || tok == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// TestOpenAPI_ExceptionsStillNeeded keeps docExceptions honest: each one
// must still describe the document as shipped.
func TestOpenAPI_ExceptionsStillNeeded(t *testing.T) {
	t.Parallel()
	for _, e := range docExceptions {
		d, err := loadDoc()
		if err != nil {
			t.Fatal(err)
		}
		if !e.still(d) {
			t.Errorf("exception %q is no longer needed (%s); remove it", e.name, e.why)
		}
	}
}

// TestOpenAPI_CatchesMismatches proves the check can fail: a request and
// an answer that break the document are both caught.
func TestOpenAPI_CatchesMismatches(t *testing.T) {
	t.Parallel()
	exchange := func(method, path, reqBody string, status int, respBody string) error {
		req, _ := http.NewRequest(method, "http://127.0.0.1:1/api/v1"+path, strings.NewReader(reqBody))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Content-Type", "application/json")
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
		return checkExchange(req, []byte(reqBody), resp, []byte(respBody))
	}
	cases := []struct {
		name               string
		method, path, body string
		status             int
		answer             string
		wantErr            bool
	}{
		{"ValidCreate", "POST", "/applications/dockerimage", `{"project_uuid":"p","server_uuid":"s","environment_name":"e","docker_registry_image_name":"x"}`, 201, `{"uuid":"a"}`, false},
		{"CreateWithoutProject", "POST", "/applications/dockerimage", `{"server_uuid":"s","environment_name":"e","docker_registry_image_name":"x"}`, 201, `{"uuid":"a"}`, true},
		{"CreateWithoutEnvironment", "POST", "/applications/dockerimage", `{"project_uuid":"p","server_uuid":"s","docker_registry_image_name":"x"}`, 201, `{"uuid":"a"}`, true},
		{"StatusNotAString", "GET", "/applications/a", "", 200, `{"uuid":"a","status":3}`, true},
		{"DeploymentsAsArray", "GET", "/deployments/applications/a", "", 200, `[]`, true},
		{"UnknownRoute", "GET", "/servers", "", 200, `[]`, true},
		{"MovedGET", "GET", "/deploy", "", 405, `{"message":"This endpoint has changed to a POST request."}`, true}, // no Allow header
		{"Throttled", "GET", "/applications", "", 429, `{"message":"Too Many Attempts."}`, false},
		{"ThrottledBadShape", "GET", "/applications", "", 429, `Too Many Attempts.`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := exchange(tc.method, tc.path, tc.body, tc.status, tc.answer)
			if (err != nil) != tc.wantErr {
				t.Fatalf("checkExchange = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}
