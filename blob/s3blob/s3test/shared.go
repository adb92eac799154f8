package s3test

import (
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/internal/sharedsrv"
)

// shared is the one server of a test binary; tests isolate themselves in
// buckets of their own.
var shared sharedsrv.Shared[*Server]

// Shared returns the test binary's server, starting it on first use. It
// skips (or fails, see Required) the test when the server cannot start.
// Call StopShared from TestMain after m.Run.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	srv, err := shared.Get("meeboter-s3-", func() error { _, err := BinPath(); return err }, Start)
	if err != nil {
		SkipOrFail(tb, err)
	}
	return srv
}

// StopShared stops the shared server, if one was started, and removes its
// data.
func StopShared() { shared.Stop() }

// Config returns a path-style store configuration for bucket, as
// ConfigFromEnv builds one for a custom endpoint.
func (s *Server) Config(bucket string) s3blob.Config {
	return s3blob.Config{
		Endpoint:  "http://" + s.Addr,
		AccessKey: s.AccessKey,
		SecretKey: s3blob.Secret(s.SecretKey),
		Bucket:    bucket,
		Region:    Region,
		PathStyle: true,
	}
}

// Env returns the S3_* variables a bot would receive for bucket.
func (s *Server) Env(bucket string) map[string]string {
	return map[string]string{
		s3blob.EnvEndpoint:  "http://" + s.Addr,
		s3blob.EnvAccessKey: s.AccessKey,
		s3blob.EnvSecretKey: s.SecretKey,
		s3blob.EnvBucket:    bucket,
		s3blob.EnvRegion:    Region,
	}
}

// Bucket creates a fresh bucket named after the test and returns its name.
func (s *Server) Bucket(tb testing.TB) string {
	tb.Helper()
	name := bucketName(tb.Name())
	if _, err := s.Client().CreateBucket(tb.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		tb.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// Client returns a raw SDK client for the server, for tests that check
// what the store wrote with something other than the store.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
		BaseEndpoint: aws.String("http://" + s.Addr),
		UsePathStyle: true,
	})
}

// bucketName makes a valid, unique bucket name from a test name.
func bucketName(test string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(test) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return fmt.Sprintf("%s-%s", strings.Trim(name, "-"), strings.ToLower(rand.Text()[:10]))
}

// OpenStore opens an S3 blob store on a fresh bucket of the shared
// server, skipping (or failing) the test as Shared does.
func OpenStore(tb testing.TB) *s3blob.Store {
	tb.Helper()
	srv := Shared(tb)
	s, err := s3blob.New(srv.Config(srv.Bucket(tb)))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
