package s3blob_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
)

// newStore returns a store on a fresh bucket of the shared server.
func newStore(t testing.TB, cfg s3blob.Config) *s3blob.Store {
	t.Helper()
	s, err := s3blob.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	return s
}

func TestConformance_PathStyle(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	blobtest.Run(t, func(t *testing.T, now func() time.Time) blob.Store {
		cfg := srv.Config(srv.Bucket(t))
		cfg.Now = now
		return newStore(t, cfg)
	})
}

// hostSet records the host names requests were sent to.
type hostSet struct {
	mu    sync.Mutex
	hosts map[string]bool
}

func (h *hostSet) add(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hosts[host] = true
}

// virtualHostClient reaches the server for any <bucket>.s3.test name and
// records the names.
func virtualHostClient(srv *s3test.Server, seen *hostSet) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: srv.Dialer(seen.add)}}
}

// virtualHostConfig is srv's configuration with the bucket in the host
// name, as AWS itself is addressed.
func virtualHostConfig(srv *s3test.Server, bucket string, client *http.Client) s3blob.Config {
	cfg := srv.Config(bucket)
	_, port, _ := net.SplitHostPort(srv.Addr)
	cfg.Endpoint = "http://" + s3test.VirtualDomain + ":" + port
	cfg.PathStyle = false
	cfg.HTTPClient = client
	return cfg
}

// TestConformance_VirtualHost runs the suite with the bucket in the host
// name. The server answers <bucket>.s3.test; a dialer stands in for the
// wildcard DNS a real deployment has, and the test checks afterwards that
// every request, the SDK's and the signed URLs' alike, named a bucket
// host.
func TestConformance_VirtualHost(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	seen := &hostSet{hosts: map[string]bool{}}
	client := virtualHostClient(srv, seen)
	t.Cleanup(func() {
		seen.mu.Lock()
		defer seen.mu.Unlock()
		if len(seen.hosts) == 0 {
			t.Error("no request went through the virtual-host dialer")
		}
		for h := range seen.hosts {
			if bucket, ok := strings.CutSuffix(h, "."+s3test.VirtualDomain); !ok || bucket == "" || strings.Contains(bucket, ".") {
				t.Errorf("request to host %q, want <bucket>.%s", h, s3test.VirtualDomain)
			}
		}
	})
	blobtest.Run(t, func(t *testing.T, now func() time.Time) blob.Store {
		cfg := virtualHostConfig(srv, srv.Bucket(t), client)
		cfg.Now = now
		return newStore(t, cfg)
	}, blobtest.FetchWith(client))
}

// TestSignedURL_Shape checks the presigned URL the SDK builds in each
// addressing style against the SigV4 query-string form.
func TestSignedURL_Shape(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	for _, style := range []string{"path", "virtual"} {
		cfg := srv.Config(bucket)
		wantHost, wantPath := srv.Addr, "/"+bucket+"/bots/1/r%20x.wav"
		if style == "virtual" {
			cfg = virtualHostConfig(srv, bucket, virtualHostClient(srv, &hostSet{hosts: map[string]bool{}}))
			_, port, _ := net.SplitHostPort(srv.Addr)
			wantHost, wantPath = bucket+"."+s3test.VirtualDomain+":"+port, "/bots/1/r%20x.wav"
		}
		s := newStore(t, cfg)
		raw, err := s.SignedURL(t.Context(), "bots/1/r x.wav", 90*time.Second, blob.SignOptions{Filename: "r.wav"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if u.Host != wantHost || u.EscapedPath() != wantPath {
			t.Errorf("%s style: URL %s, want host %s and path %s", style, raw, wantHost, wantPath)
		}
		q := u.Query()
		for name, want := range map[string]string{
			"X-Amz-Algorithm":              "AWS4-HMAC-SHA256",
			"X-Amz-Expires":                "90",
			"X-Amz-SignedHeaders":          "host",
			"response-content-disposition": "attachment; filename=r.wav",
		} {
			if q.Get(name) != want {
				t.Errorf("%s style: %s = %q, want %q", style, name, q.Get(name), want)
			}
		}
		if c := q.Get("X-Amz-Credential"); !strings.HasPrefix(c, srv.AccessKey+"/") || !strings.HasSuffix(c, "/us-east-1/s3/aws4_request") {
			t.Errorf("%s style: X-Amz-Credential = %q", style, c)
		}
		if strings.Contains(raw, srv.SecretKey) {
			t.Errorf("%s style: the URL holds the secret key", style)
		}
	}
}
