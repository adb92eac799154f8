package ecs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// The tests in this file hold the ecstest middleware to the ECS API: there
// is no OpenAPI document for ECS, but aws-sdk-go-v2's deserializers are
// generated from the service's model, so every answer the middleware
// writes is decoded by the SDK here and each member read back. A member
// misnamed in the middleware decodes as empty and fails the check. The
// platform's own client is held to the same model in sdk_test.go.

// noRetry makes one attempt, so an error answer reaches the test as sent.
func noRetry(o *awsecs.Options) { o.Retryer = aws.NopRetryer{} }

// runBare runs a bot task with a client token of its own.
func runBare(t *testing.T, b *bundle) *awsecs.RunTaskOutput {
	t.Helper()
	in := sdkRunTask(b.p.runTaskInput(botSpec(7, "zoom"), b.p.cfg.TaskDefinitions["zoom"], "FARGATE_SPOT", requestID(t)))
	out, err := b.sdk.RunTask(ctx(t), in, noRetry)
	if err != nil {
		t.Fatalf("RunTask: %v", err)
	}
	return out
}

func TestShape_RunTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out := runBare(t, b)
	if len(out.Tasks) != 1 || len(out.Failures) != 0 {
		t.Fatalf("RunTask answer: %d tasks, %d failures", len(out.Tasks), len(out.Failures))
	}
	task := out.Tasks[0]
	if aws.ToString(task.LastStatus) != "PROVISIONING" || aws.ToString(task.DesiredStatus) != "RUNNING" ||
		aws.ToString(task.StartedBy) != startedBy(7) || aws.ToString(task.CapacityProviderName) != "FARGATE_SPOT" ||
		task.LaunchType != types.LaunchTypeFargate || len(task.Tags) != 3 {
		t.Fatalf("RunTask task decoded as %+v", task)
	}
}

func TestShape_RunTaskFailures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.RefuseRunTask("", ecstest.Failure{Reason: "RESOURCE:FARGATE", Detail: "no Spot capacity in use1-az1"})
	out := runBare(t, b)
	if len(out.Tasks) != 0 || len(out.Failures) != 1 {
		t.Fatalf("refused RunTask: %d tasks, %d failures", len(out.Tasks), len(out.Failures))
	}
	f := out.Failures[0]
	if aws.ToString(f.Reason) != "RESOURCE:FARGATE" || aws.ToString(f.Detail) != "no Spot capacity in use1-az1" ||
		aws.ToString(f.Arn) != "arn:aws:ecs:us-east-1:000000000000:cluster/"+b.cluster {
		t.Fatalf("failure decoded as reason %q, detail %q, arn %q", aws.ToString(f.Reason), aws.ToString(f.Detail), aws.ToString(f.Arn))
	}
}

func TestShape_DescribeTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := aws.ToString(runBare(t, b).Tasks[0].TaskArn)
	if err := b.srv.SetState(arn, ecstest.Exited(3, "bot crashed")); err != nil {
		t.Fatal(err)
	}
	in := &awsecs.DescribeTasksInput{Cluster: aws.String(b.cluster), Tasks: []string{arn, b.unknownARN()}}
	out, err := b.sdk.DescribeTasks(ctx(t), in, noRetry)
	if err != nil || len(out.Tasks) != 1 || len(out.Failures) != 1 {
		t.Fatalf("DescribeTasks: %+v, %v", out, err)
	}
	task := out.Tasks[0]
	if task.StopCode != types.TaskStopCodeEssentialContainerExited || aws.ToString(task.StoppedReason) != "Essential container in task exited" ||
		task.StoppedAt == nil || task.StoppingAt == nil || task.Tags != nil {
		t.Fatalf("stopped task decoded as %+v (tags must wait for include=TAGS)", task)
	}
	ct := task.Containers[0]
	if ct.ExitCode == nil || *ct.ExitCode != 3 || aws.ToString(ct.Reason) != "bot crashed" || aws.ToString(ct.LastStatus) != "STOPPED" {
		t.Fatalf("container decoded as %+v", ct)
	}
	if f := out.Failures[0]; aws.ToString(f.Reason) != "MISSING" || aws.ToString(f.Arn) != b.unknownARN() {
		t.Fatalf("missing task decoded as %+v", f)
	}
	in.Include = []types.TaskField{types.TaskFieldTags}
	if out, err := b.sdk.DescribeTasks(ctx(t), in, noRetry); err != nil || len(out.Tasks[0].Tags) != 3 {
		t.Fatalf("DescribeTasks with tags: %+v, %v", out, err)
	}
}

func TestShape_ListTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var want []string
	for range 3 {
		want = append(want, aws.ToString(runBare(t, b).Tasks[0].TaskArn))
	}
	in := &awsecs.ListTasksInput{Cluster: aws.String(b.cluster), MaxResults: aws.Int32(2)}
	first, err := b.sdk.ListTasks(ctx(t), in, noRetry)
	if err != nil || len(first.TaskArns) != 2 || first.NextToken == nil {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	in.NextToken = first.NextToken
	second, err := b.sdk.ListTasks(ctx(t), in, noRetry)
	if err != nil || len(second.TaskArns) != 1 || second.NextToken != nil {
		t.Fatalf("second page: %+v, %v", second, err)
	}
	if got := append(first.TaskArns, second.TaskArns...); !slices.Equal(got, want) {
		t.Fatalf("pages hold %v, want %v", got, want)
	}
	in.NextToken = aws.String("not a token")
	checkAPIError(t, "bad nextToken", callErr(b.sdk.ListTasks(ctx(t), in, noRetry)), "InvalidParameterException")
}

func TestShape_StopTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := aws.ToString(runBare(t, b).Tasks[0].TaskArn)
	in := &awsecs.StopTaskInput{Cluster: aws.String(b.cluster), Task: aws.String(arn), Reason: aws.String("test")}
	out, err := b.sdk.StopTask(ctx(t), in, noRetry)
	if err != nil || aws.ToString(out.Task.DesiredStatus) != "STOPPED" || out.Task.StopCode != types.TaskStopCodeUserInitiated ||
		aws.ToString(out.Task.StoppedReason) != "test" {
		t.Fatalf("StopTask: %+v, %v", out, err)
	}
	if err := b.srv.Vanish(arn); err != nil {
		t.Fatal(err)
	}
	_, err = b.sdk.StopTask(ctx(t), in, noRetry)
	var invalid *types.InvalidParameterException
	if !errors.As(err, &invalid) || !strings.Contains(invalid.ErrorMessage(), "not found") {
		t.Fatalf("StopTask of a vanished task: %v, want InvalidParameterException saying not found", err)
	}
}

func TestShape_Errors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.Throttle("DescribeTasks", 1)
	in := &awsecs.DescribeTasksInput{Cluster: aws.String(b.cluster), Tasks: []string{b.unknownARN()}}
	checkAPIError(t, "throttled", callErr(b.sdk.DescribeTasks(ctx(t), in, noRetry)), "ThrottlingException")

	in.Tasks = make([]string, 101)
	for i := range in.Tasks {
		in.Tasks[i] = b.unknownARN()
	}
	checkAPIError(t, "101 tasks", callErr(b.sdk.DescribeTasks(ctx(t), in, noRetry)), "InvalidParameterException")

	b.srv.LoseResponses("RunTask", 1)
	spec := sdkRunTask(b.p.runTaskInput(botSpec(8, "zoom"), b.p.cfg.TaskDefinitions["zoom"], "FARGATE", "lost-token"))
	_, err := b.sdk.RunTask(ctx(t), spec, noRetry)
	var server *types.ServerException
	if !errors.As(err, &server) {
		t.Fatalf("lost answer: %v, want ServerException", err)
	}
	arn := b.srv.Tasks(b.cluster)[0]
	spec.Overrides.ContainerOverrides[0].Environment = nil
	_, err = b.sdk.RunTask(ctx(t), spec, noRetry)
	var conflict *types.ConflictException
	if !errors.As(err, &conflict) || !slices.Equal(conflict.ResourceIds, []string{arn}) {
		t.Fatalf("token reused with other parameters: %v, want ConflictException naming %s", err, arn)
	}
}

func requestID(t *testing.T) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func callErr[T any](_ T, err error) error { return err }

func checkAPIError(t *testing.T, what string, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code || apiErr.ErrorMessage() == "" {
		t.Fatalf("%s: %v, want %s with a message", what, err, code)
	}
}
