package ecsapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// scripted is a server that answers the nth call with answers[n-1] (the
// last one again after that) and counts the calls.
type answer struct {
	status int
	header map[string]string
	body   string
}

func scripted(t *testing.T, answers ...answer) (*Client, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		if r.Method != http.MethodPost || r.URL.Path != "/" || !strings.HasPrefix(r.Header.Get("X-Amz-Target"), targetPrefix) ||
			r.Header.Get("X-Amz-Date") == "" || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			t.Errorf("request %s %s, headers %v", r.Method, r.URL, r.Header)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		a := answers[min(n, len(answers))-1]
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Options{Region: "us-east-1", Endpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "session"),
		Backoff:     func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	return c, &calls
}

const okList = `{"taskArns":["arn:aws:ecs:us-east-1:1:task/c/1"],"nextToken":"n"}`

func TestCall_RetriesWhatMaySucceed(t *testing.T) {
	t.Parallel()
	for name, first := range map[string]answer{
		"Throttled":   {400, nil, `{"__type":"ThrottlingException","message":"Rate exceeded"}`},
		"Namespaced":  {400, nil, `{"__type":"com.amazonaws.ecs#ThrottlingException","message":"Rate exceeded"}`},
		"ServerError": {500, nil, `{"__type":"ServerException","message":"internal"}`},
		"Unavailable": {503, nil, `<html>unavailable</html>`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, calls := scripted(t, first, first, answer{200, nil, okList})
			out, err := c.ListTasks(t.Context(), &ListTasksInput{Cluster: "c"})
			if err != nil || calls.Load() != 3 || out.NextToken != "n" || len(out.TaskArns) != 1 {
				t.Fatalf("ListTasks = %+v, %v after %d calls; want the third call's page", out, err, calls.Load())
			}
		})
	}
}

func TestCall_GivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	c, calls := scripted(t, answer{400, nil, `{"__type":"ThrottlingException","message":"Rate exceeded"}`})
	_, err := c.ListTasks(t.Context(), &ListTasksInput{})
	if !IsCode(err, CodeThrottling) || calls.Load() != 3 || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("err = %v after %d calls, want ThrottlingException after 3", err, calls.Load())
	}
}

func TestCall_DoesNotRetryRefusals(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		a    answer
		code string
		msg  string
	}{
		"Client":     {answer{400, nil, `{"__type":"ClientException","message":"bad cluster"}`}, "ClientException", "bad cluster"},
		"CapMessage": {answer{400, nil, `{"__type":"AccessDeniedException","Message":"not allowed"}`}, "AccessDeniedException", "not allowed"},
		"Header": {answer{400, map[string]string{"X-Amzn-ErrorType": "InvalidParameterException:http://internal.amazon.com/"},
			`{"message":"The referenced task was not found."}`}, "InvalidParameterException", "The referenced task was not found."},
		"NotJSON": {answer{403, nil, `Forbidden`}, "UnknownError", "Forbidden"},
		"Empty":   {answer{404, nil, ``}, "UnknownError", "Not Found"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, calls := scripted(t, tt.a, answer{200, nil, okList})
			_, err := c.StopTask(t.Context(), &StopTaskInput{Task: "t"})
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.Message != tt.msg || calls.Load() != 1 {
				t.Fatalf("err = %#v after %d calls, want %s %q at once", err, calls.Load(), tt.code, tt.msg)
			}
			if apiErr.StatusCode != tt.a.status {
				t.Fatalf("status %d, want %d", apiErr.StatusCode, tt.a.status)
			}
		})
	}
}

func TestCall_ConflictNamesTheTasks(t *testing.T) {
	t.Parallel()
	c, _ := scripted(t, answer{400, map[string]string{"X-Amzn-Requestid": "req-1"},
		`{"__type":"ConflictException","message":"token reused","resourceIds":["arn:1"]}`})
	_, err := c.RunTask(t.Context(), &RunTaskInput{TaskDefinition: "td"})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != CodeConflict || len(apiErr.ResourceIDs) != 1 || apiErr.ResourceIDs[0] != "arn:1" ||
		!strings.Contains(err.Error(), "req-1") {
		t.Fatalf("err = %v", err)
	}
}

func TestCall_BadAnswerIsNotRetried(t *testing.T) {
	t.Parallel()
	c, calls := scripted(t, answer{200, nil, `{"taskArns": 12}`})
	if _, err := c.ListTasks(t.Context(), &ListTasksInput{}); err == nil || calls.Load() != 1 || !strings.Contains(err.Error(), "decode answer") {
		t.Fatalf("err = %v after %d calls", err, calls.Load())
	}
}

func TestCall_TransportFailureRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			// Cut the connection without an answer: the call may or may
			// not have happened.
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		_, _ = io.WriteString(w, okList)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Options{Region: "us-east-1", Endpoint: srv.URL, Credentials: credentials.NewStaticCredentialsProvider("a", "b", ""),
		Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := c.ListTasks(t.Context(), &ListTasksInput{}); err != nil || len(out.TaskArns) != 1 || calls.Load() != 2 {
		t.Fatalf("ListTasks = %+v, %v after %d calls", out, err, calls.Load())
	}
}

func TestCall_CancelStopsTheRetries(t *testing.T) {
	t.Parallel()
	c, calls := scripted(t, answer{500, nil, `{"__type":"ServerException","message":"internal"}`})
	c.opts.Backoff = func(int) time.Duration { return time.Hour }
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.DescribeTasks(ctx, &DescribeTasksInput{Tasks: []string{"t"}})
	if !errors.Is(err, context.DeadlineExceeded) || !IsCode(err, CodeServer) || calls.Load() != 1 {
		t.Fatalf("err = %v after %d calls, want the deadline and the ServerException it interrupted", err, calls.Load())
	}
}

func TestCall_NoCredentials(t *testing.T) {
	t.Parallel()
	c, calls := scripted(t, answer{200, nil, okList})
	c.opts.Credentials = credentials.StaticCredentialsProvider{}
	if _, err := c.ListTasks(t.Context(), &ListTasksInput{}); err == nil || calls.Load() != 0 || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("err = %v after %d calls", err, calls.Load())
	}
}

func TestNew_Checks(t *testing.T) {
	t.Parallel()
	creds := credentials.NewStaticCredentialsProvider("a", "b", "")
	for name, o := range map[string]Options{
		"NoRegion":      {Credentials: creds},
		"NoCredentials": {Region: "us-east-1"},
		"BadEndpoint":   {Region: "us-east-1", Credentials: creds, Endpoint: "ecs.internal:443"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
	c, err := New(Options{Region: "eu-west-3", Credentials: creds})
	if err != nil || c.opts.Endpoint != "https://ecs.eu-west-3.amazonaws.com" {
		t.Fatalf("default endpoint %q, %v", c.opts.Endpoint, err)
	}
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		region string
		fips   bool
		want   string
	}{
		{"us-east-1", false, "https://ecs.us-east-1.amazonaws.com"},
		{"us-gov-west-1", true, "https://ecs-fips.us-gov-west-1.amazonaws.com"},
		{"cn-north-1", false, "https://ecs.cn-north-1.amazonaws.com.cn"},
	} {
		if got := Endpoint(tt.region, tt.fips); got != tt.want {
			t.Errorf("Endpoint(%s, %v) = %s, want %s", tt.region, tt.fips, got, tt.want)
		}
	}
}

func TestBackoff_WithinTheSDKsBounds(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 8; n++ {
		ceiling := min(time.Duration(1<<n)*time.Second, 20*time.Second)
		for range 100 {
			if d := sdkBackoff(n); d < 0 || d > ceiling {
				t.Fatalf("backoff %d = %v, want [0, %v]", n, d, ceiling)
			}
		}
	}
}
