package coolify_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

func TestClient_Unauthorized(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{}, func(c *coolify.Config) { c.Token = "wrong" })
	_, err := b.pool.App(t.Context(), "a1")
	if !errors.Is(err, coolify.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := b.fake.Calls()[coolifytest.RouteGetApp]; n != 1 {
		t.Fatalf("a refused token was sent %d times", n)
	}
}

func TestClient_RetriesReads(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	uuid := b.fake.AddApp("pool-zoom-001", "exited")
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteGetApp, Status: 502, Times: 2})
	if _, err := b.pool.App(t.Context(), uuid); err != nil {
		t.Fatalf("App after two 502s: %v", err)
	}
	if n := b.fake.Calls()[coolifytest.RouteGetApp]; n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

// TestClient_Throttled runs into Laravel's throttle: the client waits as
// Retry-After says and every call gets through.
func TestClient_Throttled(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{RateLimit: 3, RateWindow: time.Second})
	uuid := b.fake.AddApp("pool-zoom-001", "exited")
	for i := range 5 {
		if _, err := b.pool.App(t.Context(), uuid); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if n := b.fake.Calls()[coolifytest.RouteGetApp]; n <= 5 {
		t.Fatalf("%d calls for 5 reads: the throttle never answered 429", n)
	}
}

func TestClient_ThrottledForGood(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteListApps, Status: 429,
		Body: `{"message":"Too Many Attempts."}`, Header: map[string]string{"Retry-After": "0"}})
	_, err := b.pool.ListPoolApps(t.Context())
	var ae *coolify.APIError
	if !errors.Is(err, coolify.ErrRateLimited) || !errors.As(err, &ae) || ae.Message != "Too Many Attempts." {
		t.Fatalf("err = %v, want the 429", err)
	}
	if n := b.fake.Calls()[coolifytest.RouteListApps]; n != 5 {
		t.Fatalf("%d calls, want the first and 4 retries", n)
	}
}

// TestClient_TLS checks that verification is on: the fake's certificate
// is refused until its CA is given in COOLIFY_CA_FILE.
func TestClient_TLS(t *testing.T) {
	t.Parallel()
	f := coolifytest.New(t, coolifytest.Options{TLS: true})
	uuid := f.AddApp("pool-zoom-001", "exited")
	cfg := testConfig(f)
	p, err := coolify.New(cfg, coolify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App(t.Context(), uuid); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if n := f.Calls()[coolifytest.RouteGetApp]; n != 0 {
		t.Fatalf("the request reached the server %d times over an untrusted connection", n)
	}
	cfg.CAFile = filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.HTTPServer().Certificate().Raw})
	if err := os.WriteFile(cfg.CAFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err = coolify.New(cfg, coolify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App(t.Context(), uuid); err != nil {
		t.Fatalf("with the CA trusted: %v", err)
	}
}

func TestClient_ValidationErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	o := b.fake.Options()
	create := func(image string, extra map[string]any) *coolify.APIError {
		t.Helper()
		body := map[string]any{"project_uuid": o.ProjectUUID, "server_uuid": o.ServerUUID,
			"environment_name": o.EnvironmentName, "docker_registry_image_name": image}
		for k, v := range extra {
			body[k] = v
		}
		err := b.pool.Client().Raw(t.Context(), http.MethodPost, "/applications/dockerimage", nil, body, nil)
		var ae *coolify.APIError
		if !errors.Is(err, coolify.ErrValidation) || !errors.As(err, &ae) {
			t.Fatalf("err = %v, want a 422", err)
		}
		return ae
	}
	// Coolify checks unknown fields first, then the image.
	if ae := create("ghcr.io/meeboter/bot", map[string]any{"bogus": true}); ae.Fields["bogus"][0] != "This field is not allowed." {
		t.Fatalf("fields %v", ae.Fields)
	}
	if ae := create("ghcr.io/Payme-Works/bot", nil); len(ae.Fields["docker_registry_image_name"]) != 1 {
		t.Fatalf("fields %v", ae.Fields)
	}
}

func TestClient_MovedGETRoutes(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	for _, path := range []string{"/deploy", "/applications/x/start", "/applications/x/stop", "/applications/x/restart"} {
		err := b.pool.Client().Raw(t.Context(), http.MethodGet, path, nil, nil, nil)
		var ae *coolify.APIError
		if !errors.As(err, &ae) || ae.Status != 405 || ae.Message != "This endpoint has changed to a POST request." {
			t.Errorf("GET %s: %v", path, err)
		}
	}
}

func TestClient_BadAnswers(t *testing.T) {
	t.Parallel()
	cases := []coolifytest.Fault{
		{Route: coolifytest.RouteListApps, Status: 500},
		{Route: coolifytest.RouteListApps, Truncate: true},
		{Route: coolifytest.RouteListApps, Status: 200, Body: `{"message":"not a list"}`},
		{Route: coolifytest.RouteListApps, Status: 200, Body: `null`},
		{Route: coolifytest.RouteListApps, Status: 200, Body: `[{"uuid":5,"name":"pool-zoom-001"}]`},
		{Route: coolifytest.RouteListApps, Status: 200, Body: `[{"name":"pool-zoom-001","status":"exited"}]`},
		{Route: coolifytest.RouteListApps, Status: 200, Body: `[{"uuid":"a","name":"pool-zoom-001"}, 7]`},
	}
	for _, f := range cases {
		b := setup(t, coolifytest.Options{})
		b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.Zoom, 1))
		b.fake.Inject(f)
		if apps, err := b.pool.ListPoolApps(t.Context()); err == nil {
			t.Errorf("with fault %+v: ListPoolApps = %v, nil; want an error, never a short list", f, apps)
		}
	}
}

func TestClient_SlowAnswer(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteListApps, Delay: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.pool.ListPoolApps(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
}
