package kubernetes

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// TestClient_Wire checks the Client's requests on the wire: the paths of
// the two API groups, protobuf bodies, query parameters, and errors that
// apierrors understands. It needs no API server, so it always runs; the
// APIServer tests run the same Client against a real one.
func TestClient_Wire(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if !strings.HasPrefix(r.Header.Get("Accept"), "application/vnd.kubernetes.protobuf") {
			t.Errorf("%s %s: Accept %q, want protobuf first", r.Method, r.URL.Path, r.Header.Get("Accept"))
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "POST /apis/batch/v1/namespaces/bots/jobs":
			if ct := r.Header.Get("Content-Type"); ct != "application/vnd.kubernetes.protobuf" || !strings.Contains(string(body), "meeboter-bot-1") {
				t.Errorf("create job: content type %q, body %q", ct, body)
			}
			_, _ = io.WriteString(w, `{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"meeboter-bot-1","uid":"u-1"}}`)
		case "GET /apis/batch/v1/namespaces/bots/jobs/gone":
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"apiVersion":"v1","kind":"Status","status":"Failure","reason":"NotFound","code":404}`)
		case "GET /api/v1/namespaces/bots/pods":
			if q := r.URL.Query(); q.Get("labelSelector") != managedSelector || q.Get("limit") != "2" {
				t.Errorf("list pods: query %v", q)
			}
			_, _ = io.WriteString(w, `{"apiVersion":"v1","kind":"PodList","metadata":{"continue":"next"},"items":[{"metadata":{"name":"p"}}]}`)
		case "PATCH /api/v1/namespaces/bots/secrets/s":
			if ct := r.Header.Get("Content-Type"); ct != "application/merge-patch+json" || string(body) != `{"a":1}` {
				t.Errorf("patch secret: content type %q, body %q", ct, body)
			}
			_, _ = io.WriteString(w, `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}`)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	job, err := c.createJob(ctx, "bots", &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "meeboter-bot-1"}})
	if err != nil || job.UID != "u-1" {
		t.Fatalf("createJob: %+v, %v; want the server's Job", job, err)
	}
	if _, err := c.getJob(ctx, "bots", "gone"); !apierrors.IsNotFound(err) {
		t.Fatalf("getJob: %v, want NotFound", err)
	}
	pods, err := c.listPods(ctx, "bots", metav1.ListOptions{LabelSelector: managedSelector, Limit: 2})
	if err != nil || len(pods.Items) != 1 || pods.Continue != "next" {
		t.Fatalf("listPods: %+v, %v", pods, err)
	}
	if err := c.patchSecret(ctx, "bots", "s", []byte(`{"a":1}`)); err != nil {
		t.Fatalf("patchSecret: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 4 {
		t.Fatalf("requests %v, want 4", seen)
	}
}
