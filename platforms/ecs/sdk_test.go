package ecs

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// The tests in this file hold the platform's ECS client to aws-sdk-go-v2,
// whose serializers and deserializers are generated from the service's
// model: every request the platform makes is sent by both clients and
// must arrive the same, and every answer is read by both and must mean
// the same.

// sdkRunTask is the SDK's form of a RunTask request.
func sdkRunTask(in *ecsapi.RunTaskInput) *awsecs.RunTaskInput {
	out := &awsecs.RunTaskInput{
		Cluster:        aws.String(in.Cluster),
		TaskDefinition: aws.String(in.TaskDefinition),
		Count:          aws.Int32(in.Count),
		StartedBy:      aws.String(in.StartedBy),
		ClientToken:    aws.String(in.ClientToken),
	}
	for _, p := range in.CapacityProviderStrategy {
		out.CapacityProviderStrategy = append(out.CapacityProviderStrategy,
			types.CapacityProviderStrategyItem{CapacityProvider: aws.String(p.CapacityProvider), Weight: p.Weight, Base: p.Base})
	}
	if n := in.NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		v := n.AwsvpcConfiguration
		out.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: v.Subnets, SecurityGroups: v.SecurityGroups, AssignPublicIp: types.AssignPublicIp(v.AssignPublicIp)}}
	}
	if in.Overrides != nil {
		out.Overrides = &types.TaskOverride{}
		for _, o := range in.Overrides.ContainerOverrides {
			env := make([]types.KeyValuePair, len(o.Environment))
			for i, kv := range o.Environment {
				env[i] = types.KeyValuePair{Name: aws.String(kv.Name), Value: aws.String(kv.Value)}
			}
			out.Overrides.ContainerOverrides = append(out.Overrides.ContainerOverrides,
				types.ContainerOverride{Name: aws.String(o.Name), Environment: env})
		}
	}
	for _, t := range in.Tags {
		out.Tags = append(out.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out
}

// captured is what a capture server saw of one request.
type captured struct {
	target, contentType, auth string
	body                      any
}

// captureServer answers every call with an empty JSON object and keeps
// the last request of each operation.
func captureServer(t *testing.T) (string, func(op string) captured) {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]captured{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("request body is not JSON: %q", raw)
		}
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonEC2ContainerServiceV20141113.")
		mu.Lock()
		seen[op] = captured{r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"), r.Header.Get("Authorization"), body}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func(op string) captured {
		mu.Lock()
		defer mu.Unlock()
		return seen[op]
	}
}

func TestClient_RequestsAsTheSDKSendsThem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ourURL, ours := captureServer(t)
	sdkURL, theirs := captureServer(t)
	our, sdk := testClient(t, ourURL), sdkClient(sdkURL)
	spec := botSpec(12, "google-meet")
	spec.Env["EMPTY_VALUE"] = ""
	run := b.p.runTaskInput(spec, "meet-bot:3", "FARGATE_SPOT", "token-1")
	call := func(op string, a, s func() error) {
		t.Helper()
		if err := a(); err != nil {
			t.Fatalf("%s, platform's client: %v", op, err)
		}
		if err := s(); err != nil {
			t.Fatalf("%s, SDK: %v", op, err)
		}
		got, want := ours(op), theirs(op)
		if got.target != want.target || got.contentType != want.contentType {
			t.Fatalf("%s: target %q, content type %q; the SDK sends %q, %q", op, got.target, got.contentType, want.target, want.contentType)
		}
		if !reflect.DeepEqual(got.body, want.body) {
			t.Fatalf("%s body\n got %v\nwant %v (the SDK's)", op, got.body, want.body)
		}
		if !strings.HasPrefix(got.auth, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") || !strings.Contains(got.auth, "/us-east-1/ecs/aws4_request") {
			t.Fatalf("%s: Authorization %q is not a SigV4 signature for ecs in us-east-1", op, got.auth)
		}
	}
	call("RunTask", func() error { _, err := our.RunTask(ctx(t), run); return err },
		func() error { _, err := sdk.RunTask(ctx(t), sdkRunTask(run), noRetry); return err })
	describe := &ecsapi.DescribeTasksInput{Cluster: "bots", Tasks: []string{b.unknownARN()}, Include: []string{ecsapi.IncludeTags}}
	call("DescribeTasks", func() error { _, err := our.DescribeTasks(ctx(t), describe); return err },
		func() error {
			_, err := sdk.DescribeTasks(ctx(t), &awsecs.DescribeTasksInput{Cluster: aws.String("bots"), Tasks: describe.Tasks,
				Include: []types.TaskField{types.TaskFieldTags}}, noRetry)
			return err
		})
	call("StopTask", func() error {
		_, err := our.StopTask(ctx(t), &ecsapi.StopTaskInput{Cluster: "bots", Task: b.unknownARN(), Reason: stopReason})
		return err
	}, func() error {
		_, err := sdk.StopTask(ctx(t), &awsecs.StopTaskInput{Cluster: aws.String("bots"), Task: aws.String(b.unknownARN()),
			Reason: aws.String(stopReason)}, noRetry)
		return err
	})
	call("ListTasks", func() error {
		_, err := our.ListTasks(ctx(t), &ecsapi.ListTasksInput{Cluster: "bots", DesiredStatus: "STOPPED", MaxResults: maxPage, NextToken: "page-2"})
		return err
	}, func() error {
		_, err := sdk.ListTasks(ctx(t), &awsecs.ListTasksInput{Cluster: aws.String("bots"), DesiredStatus: types.DesiredStatusStopped,
			MaxResults: aws.Int32(maxPage), NextToken: aws.String("page-2")}, noRetry)
		return err
	})
}

func TestClient_AnswersAsTheSDKReadsThem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.deploy(t, botSpec(13, "zoom"))
	if err := b.srv.SetState(arn, ecstest.Exited(3, "bot crashed")); err != nil {
		t.Fatal(err)
	}
	tasks := []string{arn, b.unknownARN()}
	got, err := b.client.DescribeTasks(ctx(t), &ecsapi.DescribeTasksInput{Cluster: b.cluster, Tasks: tasks, Include: []string{ecsapi.IncludeTags}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := b.sdk.DescribeTasks(ctx(t), &awsecs.DescribeTasksInput{Cluster: aws.String(b.cluster), Tasks: tasks,
		Include: []types.TaskField{types.TaskFieldTags}}, noRetry)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tasks) != 1 || len(want.Tasks) != 1 || len(got.Failures) != 1 || len(want.Failures) != 1 {
		t.Fatalf("tasks/failures: %d/%d, the SDK read %d/%d", len(got.Tasks), len(got.Failures), len(want.Tasks), len(want.Failures))
	}
	if g, w := got.Failures[0], want.Failures[0]; g.Arn != aws.ToString(w.Arn) || g.Reason != aws.ToString(w.Reason) || g.Reason != "MISSING" {
		t.Fatalf("failure %+v, the SDK read %+v", g, w)
	}
	if g, w := got.Tasks[0], fromSDKTask(want.Tasks[0]); !reflect.DeepEqual(g, w) {
		t.Fatalf("task\n got %+v\nwant %+v (the SDK's reading)", g, w)
	}
	if c := got.Tasks[0].Containers; len(c) != 1 || c[0].ExitCode == nil || *c[0].ExitCode != 3 || len(got.Tasks[0].Tags) != 3 {
		t.Fatalf("containers %+v, tags %+v", c, got.Tasks[0].Tags)
	}
}

// fromSDKTask is the platform's form of a task the SDK read.
func fromSDKTask(t types.Task) ecsapi.Task {
	out := ecsapi.Task{TaskArn: aws.ToString(t.TaskArn), ClusterArn: aws.ToString(t.ClusterArn),
		TaskDefinitionArn: aws.ToString(t.TaskDefinitionArn), LastStatus: aws.ToString(t.LastStatus),
		DesiredStatus: aws.ToString(t.DesiredStatus), StartedBy: aws.ToString(t.StartedBy), StopCode: string(t.StopCode),
		StoppedReason: aws.ToString(t.StoppedReason), CapacityProviderName: aws.ToString(t.CapacityProviderName),
		LaunchType: string(t.LaunchType)}
	for _, tag := range t.Tags {
		out.Tags = append(out.Tags, ecsapi.Tag{Key: aws.ToString(tag.Key), Value: aws.ToString(tag.Value)})
	}
	for _, c := range t.Containers {
		out.Containers = append(out.Containers, ecsapi.Container{Name: aws.ToString(c.Name), LastStatus: aws.ToString(c.LastStatus),
			Reason: aws.ToString(c.Reason), ExitCode: c.ExitCode})
	}
	return out
}

func TestClient_ErrorsAsTheSDKReadsThem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	once, err := ecsapi.New(ecsapi.Options{Region: testRegion, Endpoint: b.srv.URL, MaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	in := &ecsapi.DescribeTasksInput{Cluster: b.cluster, Tasks: make([]string, 101)}
	for i := range in.Tasks {
		in.Tasks[i] = b.unknownARN()
	}
	_, got := once.DescribeTasks(ctx(t), in)
	_, want := b.sdk.DescribeTasks(ctx(t), &awsecs.DescribeTasksInput{Cluster: aws.String(b.cluster), Tasks: in.Tasks}, noRetry)
	var apiErr *ecsapi.Error
	var sdkErr smithy.APIError
	if !errors.As(got, &apiErr) || !errors.As(want, &sdkErr) || apiErr.Code != sdkErr.ErrorCode() || apiErr.Message != sdkErr.ErrorMessage() {
		t.Fatalf("101 tasks: %v; the SDK read %v", got, want)
	}
}
