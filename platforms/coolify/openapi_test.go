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

// docException is one place where the test follows Coolify's controllers
// rather than its OpenAPI document. still reports whether the document
// (as loaded, before any exception) still says otherwise, so a fixed
// upstream document fails TestOpenAPI_ExceptionsStillNeeded and the
// exception can go.
type docException struct {
	name, why string
	still     func(*openapi3.T) bool
	apply     func(*openapi3.T)
}

var docExceptions = []docException{
	{
		name: "nullable",
		why: "the document says openapi 3.1.0 but marks optional values with 3.0's nullable, which 3.1 ignores; " +
			"Coolify does send null for them (description, fqdn, ...), so the document is read as 3.0",
		still: func(d *openapi3.T) bool { return d.IsOpenAPI31OrLater() },
		apply: func(d *openapi3.T) { d.OpenAPI = "3.0.3" },
	},
	{
		name: "environment_name or environment_uuid",
		why: "the create body lists both environment_name and environment_uuid as required; " +
			"ApplicationsController::create_application wants one of them",
		still: func(d *openapi3.T) bool {
			r := createSchema(d).Required
			return slices.Contains(r, "environment_name") && slices.Contains(r, "environment_uuid")
		},
		apply: func(d *openapi3.T) {
			s := createSchema(d)
			s.Required = slices.DeleteFunc(s.Required, func(f string) bool { return strings.HasPrefix(f, "environment_") })
			s.AnyOf = openapi3.SchemaRefs{
				openapi3.NewSchemaRef("", &openapi3.Schema{Required: []string{"environment_name"}}),
				openapi3.NewSchemaRef("", &openapi3.Schema{Required: []string{"environment_uuid"}}),
			}
		},
	},
	{
		name: "deployments of an application",
		why: "GET /deployments/applications/{uuid} is documented as an array of Application; " +
			"DeployController::get_application_deployments returns {count, deployments: [ApplicationDeploymentQueue]}",
		still: func(d *openapi3.T) bool { return appDeploymentsSchema(d).Value.Type.Is("array") },
		apply: func(d *openapi3.T) {
			appDeploymentsSchema(d).Value = openapi3.NewObjectSchema().
				WithProperty("count", openapi3.NewIntegerSchema()).
				WithPropertyRef("deployments", openapi3.NewSchemaRef("", openapi3.NewArraySchema().
					WithItems(d.Components.Schemas["ApplicationDeploymentQueue"].Value))).
				WithRequired([]string{"count", "deployments"})
		},
	},
	{
		name: "build_pack dockerimage",
		why: "Application.build_pack's enum leaves out dockerimage, which create_application sets on every " +
			"application made by POST /applications/dockerimage",
		still: func(d *openapi3.T) bool { return !slices.Contains(buildPack(d).Enum, any("dockerimage")) },
		apply: func(d *openapi3.T) { buildPack(d).Enum = append(buildPack(d).Enum, "dockerimage") },
	},
	{
		name: "cancel a deployment",
		why: "POST /deployments/{uuid}/cancel (DeployController::cancel_deployment, routes/api.php) is left out " +
			"of the subset; Stop uses it, so its documented shape is added: 200 {message, deployment_uuid, status}, 400, 404",
		still: func(d *openapi3.T) bool { return d.Paths.Value("/deployments/{uuid}/cancel") == nil },
		apply: addCancelPath,
	},
	{
		name: "undocumented statuses",
		why: "Coolify also answers 405 on the old GET routes, 422 from its validators, 429 from Laravel's " +
			"throttle (and from /deploy when the server's queue is full), and 404 from /deploy and " +
			"/deployments/applications/{uuid} for an unknown application, none of them documented; they come " +
			"as {message[, errors]} and are checked against that shape instead (checkErrorShape)",
		still: func(d *openapi3.T) bool {
			r := d.Paths.Value("/applications/dockerimage").Post.Responses
			deploy := d.Paths.Value("/deploy").Post.Responses
			list := d.Paths.Value("/deployments/applications/{uuid}").Get.Responses
			return r.Status(422) == nil && r.Status(429) == nil && deploy.Status(404) == nil && list.Status(404) == nil
		},
		apply: func(*openapi3.T) {},
	},
}

// movedGETs are the GET routes Coolify answers with 405; they are not in
// the document (they are not operations any more).
var movedGETs = []string{"/api/v1/deploy", "/start", "/stop", "/restart"}

func createSchema(d *openapi3.T) *openapi3.Schema {
	return d.Paths.Value("/applications/dockerimage").Post.RequestBody.Value.Content.Get("application/json").Schema.Value
}

func appDeploymentsSchema(d *openapi3.T) *openapi3.SchemaRef {
	return d.Paths.Value("/deployments/applications/{uuid}").Get.Responses.Status(200).Value.Content.Get("application/json").Schema
}

func buildPack(d *openapi3.T) *openapi3.Schema {
	return d.Components.Schemas["Application"].Value.Properties["build_pack"].Value
}

func addCancelPath(d *openapi3.T) {
	msg := openapi3.NewObjectSchema().WithProperty("message", openapi3.NewStringSchema())
	ok := openapi3.NewObjectSchema().WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("deployment_uuid", openapi3.NewStringSchema()).WithProperty("status", openapi3.NewStringSchema())
	resp := func(desc string, s *openapi3.Schema) *openapi3.ResponseRef {
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(desc).WithJSONSchema(s)}
	}
	op := &openapi3.Operation{OperationID: "cancel-deployment-by-uuid", Responses: openapi3.NewResponses(
		openapi3.WithStatus(200, resp("Deployment cancelled.", ok)),
		openapi3.WithStatus(400, resp("Deployment cannot be cancelled.", msg)),
		openapi3.WithStatus(401, resp("Unauthenticated.", msg)),
		openapi3.WithStatus(404, resp("Deployment not found.", msg)),
	), Security: &openapi3.SecurityRequirements{{"bearerAuth": {}}}}
	op.AddParameter(openapi3.NewPathParameter("uuid").WithSchema(openapi3.NewStringSchema()))
	d.AddOperation("/deployments/{uuid}/cancel", http.MethodPost, op)
}

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
