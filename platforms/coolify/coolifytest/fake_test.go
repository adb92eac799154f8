package coolifytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

// call sends a raw request to the fake and decodes a JSON answer.
func call(t *testing.T, f *coolifytest.Server, method, path, contentType, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, f.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.Token())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

const createBody = `{"project_uuid":"project-1","server_uuid":"server-1","environment_name":"production",` +
	`"docker_registry_image_name":"ghcr.io/meeboter/meeboter-zoom-bot","name":"pool-zoom-001"%s}`

func withExtra(extra string) string { return strings.Replace(createBody, "%s", extra, 1) }

// TestFake_CreateValidation checks the fake refuses what Coolify's
// create_application refuses, with Coolify's statuses and messages.
func TestFake_CreateValidation(t *testing.T) {
	t.Parallel()
	f := coolifytest.New(t, coolifytest.Options{})
	cases := []struct {
		name, contentType, body string
		status                  int
		field, message          string
	}{
		{"NotJSON", "text/plain", withExtra(""), 400, "", "Invalid request."},
		{"BadJSON", "application/json", "{", 400, "", "Invalid request."},
		{"EmptyJSON", "application/json", "{}", 400, "", "Invalid request."},
		{"UnknownField", "application/json", withExtra(`,"colour":"red"`), 422, "colour", "Validation failed."},
		{"NumberForString", "application/json", withExtra(`,"limits_cpus":1`), 422, "limits_cpus", "Validation failed."},
		{"UppercaseImage", "application/json", strings.Replace(withExtra(""), "meeboter/", "Meeboter/", 1), 422, "docker_registry_image_name", "Validation failed."},
		{"BadTag", "application/json", withExtra(`,"docker_registry_image_tag":"v1;rm"`), 422, "docker_registry_image_tag", "Validation failed."},
		{"NoEnvironment", "application/json", strings.Replace(withExtra(""), `"environment_name":"production",`, "", 1), 422, "", "You need to provide at least one of environment_name or environment_uuid."},
		{"UnknownProject", "application/json", strings.Replace(withExtra(""), "project-1", "project-9", 1), 404, "", "Project not found."},
		{"UnknownServer", "application/json", strings.Replace(withExtra(""), "server-1", "server-9", 1), 404, "", "Server not found."},
		{"Created", "application/json", withExtra(`,"instant_deploy":false`), 201, "", ""},
	}
	for _, tc := range cases {
		status, _, out := call(t, f, http.MethodPost, "/applications/dockerimage", tc.contentType, tc.body)
		if status != tc.status || (tc.message != "" && out["message"] != tc.message) {
			t.Errorf("%s: %d %v; want %d %q", tc.name, status, out, tc.status, tc.message)
		}
		if tc.field != "" {
			if errs, _ := out["errors"].(map[string]any); errs[tc.field] == nil {
				t.Errorf("%s: errors %v do not name %s", tc.name, out["errors"], tc.field)
			}
		}
	}
}

func TestFake_Throttle(t *testing.T) {
	t.Parallel()
	f := coolifytest.New(t, coolifytest.Options{RateLimit: 2, RateWindow: time.Hour})
	for range 2 {
		if status, _, _ := call(t, f, http.MethodGet, "/applications", "", ""); status != 200 {
			t.Fatalf("status %d within the limit", status)
		}
	}
	status, h, out := call(t, f, http.MethodGet, "/applications", "", "")
	if status != 429 || h.Get("Retry-After") == "" || out["message"] != "Too Many Attempts." {
		t.Fatalf("over the limit: %d %v %v", status, h, out)
	}
	if status, _, _ := call(t, f, http.MethodGet, "/health", "", ""); status != 200 {
		t.Fatalf("health is throttled apart in Coolify; got %d", status)
	}
}

// TestFake_BuildLimit checks concurrent_builds: of five deployments on one
// server, two run and three wait queued until the first ones end.
func TestFake_BuildLimit(t *testing.T) {
	t.Parallel()
	f := coolifytest.New(t, coolifytest.Options{Manual: true})
	var apps []string
	for i := range 5 {
		uuid := f.AddApp("app-"+string(rune('a'+i)), "exited")
		apps = append(apps, uuid)
		if status, _, _ := call(t, f, http.MethodPost, "/deploy?uuid="+uuid, "", ""); status != 200 {
			t.Fatalf("deploy %d: %d", i, status)
		}
	}
	statuses := func() (running, queued int) {
		for _, uuid := range apps {
			a, _ := f.App(uuid)
			switch a.Deployments[len(a.Deployments)-1] {
			case "in_progress":
				running++
			case "queued":
				queued++
			}
		}
		return
	}
	if r, q := statuses(); r != 2 || q != 3 {
		t.Fatalf("%d running, %d queued; want 2 and 3", r, q)
	}
	if err := f.FinishDeployment(apps[0]); err != nil {
		t.Fatal(err)
	}
	if r, q := statuses(); r != 2 || q != 2 {
		t.Fatalf("after one finished: %d running, %d queued; want 2 and 2", r, q)
	}
	if f.MaxRunning("server-1") != 2 {
		t.Fatalf("MaxRunning = %d", f.MaxRunning("server-1"))
	}
	if a, _ := f.App(apps[0]); a.Status != "running:healthy" {
		t.Fatalf("a finished deployment left the application %q", a.Status)
	}
}
