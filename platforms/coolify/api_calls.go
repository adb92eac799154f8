package coolify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

func appPath(uuid string, rest ...string) string {
	p := "/applications/" + url.PathEscape(uuid)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// createDockerImageApp creates an application from a prebuilt image and
// returns its uuid. It is sent once: if Coolify fails midway the
// application may exist, and the pool's sync finds it by name.
func (c *Client) createDockerImageApp(ctx context.Context, body createApp) (string, error) {
	var out createdApp
	err := c.do(ctx, call{method: http.MethodPost, path: "/applications/dockerimage", body: body}, &out)
	if err == nil && out.UUID == "" {
		err = errors.New("coolify: POST /applications/dockerimage: answer has no uuid")
	}
	return out.UUID, err
}

// SetEnvs upserts environment variables of an application (Coolify keys
// them by name, so sending them twice is harmless).
func (c *Client) SetEnvs(ctx context.Context, uuid string, envs []EnvVar) error {
	return c.do(ctx, call{method: http.MethodPatch, path: appPath(uuid, "envs", "bulk"), body: envBulk{Data: envs}, idempotent: true}, nil)
}

// SetDescription changes an application's description, which Coolify shows
// in its UI and which the pool uses to say which bot a slot runs. Unlike
// its environment, the description does not ask for a redeploy.
func (c *Client) SetDescription(ctx context.Context, uuid, description string) error {
	return c.do(ctx, call{method: http.MethodPatch, path: appPath(uuid), body: appUpdate{Description: &description}, idempotent: true}, nil)
}

// App reads one application; ErrNotFound when Coolify has none.
func (c *Client) App(ctx context.Context, uuid string) (Application, error) {
	var out Application
	err := c.do(ctx, call{method: http.MethodGet, path: appPath(uuid), idempotent: true}, &out)
	if err == nil && out.UUID == "" {
		err = fmt.Errorf("coolify: GET %s: answer has no uuid", appPath(uuid))
	}
	return out, err
}

// Apps lists every application of the token's team. Any failure is an
// error, never an empty list, and every element must decode with a uuid
// and a name: reading a failed or partial list as "no applications" is
// how the original server deleted its whole pool (W15).
func (c *Client) Apps(ctx context.Context) ([]Application, error) {
	var out []Application
	if err := c.do(ctx, call{method: http.MethodGet, path: "/applications", idempotent: true}, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, errors.New("coolify: GET /applications: answer is not a list")
	}
	for i, a := range out {
		if a.UUID == "" || a.Name == "" {
			return nil, fmt.Errorf("coolify: GET /applications: item %d has no uuid or name", i)
		}
	}
	return out, nil
}

// deploy asks Coolify to deploy an application (POST /deploy?uuid=).
func (c *Client) deploy(ctx context.Context, uuid string) (deployEntry, error) {
	var out deployAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: "/deploy", query: url.Values{"uuid": {uuid}}}, &out)
	if err != nil {
		return deployEntry{}, err
	}
	for _, d := range out.Deployments {
		if d.ResourceUUID == uuid {
			return d, nil
		}
	}
	return deployEntry{}, fmt.Errorf("coolify: POST /deploy: answer has no entry for %s", uuid)
}

// start asks Coolify to start (deploy) an application.
func (c *Client) start(ctx context.Context, uuid string) (startAnswer, error) {
	var out startAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: appPath(uuid, "start")}, &out)
	return out, err
}

// stop asks Coolify to stop an application. The stop is queued: the
// container goes down a moment after the answer. docker_cleanup=false
// spares the server a full prune for every bot.
func (c *Client) stop(ctx context.Context, uuid string) error {
	var out messageAnswer
	return c.do(ctx, call{method: http.MethodPost, path: appPath(uuid, "stop"),
		query: url.Values{"docker_cleanup": {"false"}}, idempotent: true}, &out)
}

// Deployment reads one deployment by its uuid.
func (c *Client) Deployment(ctx context.Context, uuid string) (Deployment, error) {
	var out Deployment
	p := "/deployments/" + url.PathEscape(uuid)
	err := c.do(ctx, call{method: http.MethodGet, path: p, idempotent: true}, &out)
	if err == nil && out.DeploymentUUID == "" {
		err = fmt.Errorf("coolify: GET %s: answer has no deployment_uuid", p)
	}
	return out, err
}

// appDeployments lists an application's deployments, newest first.
func (c *Client) appDeployments(ctx context.Context, uuid string, take int) ([]Deployment, error) {
	var out deploymentList
	p := "/deployments/applications/" + url.PathEscape(uuid)
	q := url.Values{"skip": {"0"}, "take": {strconv.Itoa(take)}}
	if err := c.do(ctx, call{method: http.MethodGet, path: p, query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return out.Deployments, nil
}

// deleteApp deletes an application with its configuration, volumes and
// networks. Coolify queues the deletion.
func (c *Client) deleteApp(ctx context.Context, uuid string) error {
	q := url.Values{"delete_configurations": {"true"}, "delete_volumes": {"true"},
		"docker_cleanup": {"true"}, "delete_connected_networks": {"true"}}
	var out messageAnswer
	return c.do(ctx, call{method: http.MethodDelete, path: appPath(uuid), query: q, idempotent: true}, &out)
}

// Health checks that Coolify answers (GET /health, "OK").
func (c *Client) Health(ctx context.Context) error {
	_, err := c.send(ctx, call{method: http.MethodGet, path: "/health", idempotent: true})
	return err
}

// Version returns Coolify's version (GET /version), which also proves the
// token works.
func (c *Client) Version(ctx context.Context) (string, error) {
	raw, err := c.send(ctx, call{method: http.MethodGet, path: "/version", idempotent: true})
	return string(raw), err
}

// cancelDeployment cancels a queued or running deployment
// (POST /deployments/{uuid}/cancel). Coolify answers 400 when the
// deployment has already ended, which the caller reads as "nothing to
// cancel".
func (c *Client) cancelDeployment(ctx context.Context, uuid string) error {
	var out messageAnswer
	return c.do(ctx, call{method: http.MethodPost, path: "/deployments/" + url.PathEscape(uuid) + "/cancel", idempotent: true}, &out)
}
