package ecs

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

const (
	testCapacity = 7
	testRegion   = "us-east-1"
)

var testSubnets = []string{"subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"}

// bundle is one platform on its own cluster of a fresh ecstest server.
type bundle struct {
	srv     *ecstest.Server
	cluster string
	client  *ecsapi.Client // the platform's
	sdk     *awsecs.Client // the AWS SDK's, to hold the server to the model
	p       *Platform
	logs    *syncBuffer
}

// setup starts an ecstest server, creates a cluster with a task definition
// per meeting platform, and builds the platform on it; change adjusts the
// Config first.
func setup(tb testing.TB, change ...func(*Config)) *bundle {
	tb.Helper()
	srv := ecstest.Start(tb)
	b := &bundle{srv: srv, cluster: srv.Cluster(tb), client: testClient(tb, srv.URL), sdk: sdkClient(srv.URL), logs: &syncBuffer{}}
	cfg := Config{
		Region:  testRegion,
		Cluster: b.cluster,
		TaskDefinitions: map[string]string{
			"google-meet":     srv.RegisterTaskDefinition(tb, b.cluster+"-google-meet", "google-meet-bot"),
			"microsoft-teams": srv.RegisterTaskDefinition(tb, b.cluster+"-microsoft-teams", "microsoft-teams-bot"),
			"zoom":            srv.RegisterTaskDefinition(tb, b.cluster+"-zoom", "zoom-bot"),
		},
		Subnets:        testSubnets,
		SecurityGroups: []string{"sg-0123456789abcdef0"},
		Limit:          testCapacity,
	}
	for _, fn := range change {
		fn(&cfg)
	}
	p, err := NewWithAPI(cfg, b.client, testLogger(tb, b.logs))
	if err != nil {
		tb.Fatalf("NewWithAPI: %v", err)
	}
	b.p = p
	return b
}

// testClient is the platform's ECS client for srv. Only the retry backoff
// differs from the defaults, so retried calls do not slow the tests down;
// what is retried, and how often, is the client's own decision.
func testClient(tb testing.TB, url string) *ecsapi.Client {
	tb.Helper()
	c, err := ecsapi.New(ecsapi.Options{
		Region:      testRegion,
		Endpoint:    url,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
		Backoff:     func(int) time.Duration { return time.Millisecond },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sdkClient is aws-sdk-go-v2's ECS client for srv, whose serializers and
// deserializers are generated from the service's model.
func sdkClient(url string) *awsecs.Client {
	return awsecs.New(awsecs.Options{
		Region:       testRegion,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		}),
	})
}

// unknownARN is a well-formed task ARN in the bundle's cluster that ECS
// never issued.
func (b *bundle) unknownARN() string {
	return "arn:aws:ecs:" + testRegion + ":000000000000:task/" + b.cluster + "/0123456789abcdef0123456789abcdef"
}

// ctx bounds a test's calls, so a hung call fails the test, not the binary.
func ctx(tb testing.TB) context.Context {
	c, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	tb.Cleanup(cancel)
	return c
}

// testLogger sends the platform's logs to buf and, in tests rather than
// benchmarks, to the test output.
func testLogger(tb testing.TB, buf io.Writer) *slog.Logger {
	if _, bench := tb.(*testing.B); !bench {
		buf = io.MultiWriter(tb.Output(), buf)
	}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *syncBuffer) contains(sub string) bool { return strings.Contains(s.String(), sub) }
