package coolify_test

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

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
