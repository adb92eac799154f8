package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// options are the command's flags.
type options struct {
	Dir, Cluster, Org, Tag, Account, Region string
}

func (o options) validate() error {
	var errs []error
	if o.Org == "" {
		errs = append(errs, errors.New("-org (or GHCR_ORG) not set"))
	}
	if o.Region == "" {
		errs = append(errs, errors.New("-region (or AWS_REGION) not set"))
	}
	return errors.Join(errs...)
}

// meetingPlatforms maps each task definition file to the setting naming it.
var meetingPlatforms = []struct{ file, env string }{
	{"taskdef-google-meet.json", "AWS_ECS_TASK_DEF_GOOGLE_MEET"},
	{"taskdef-microsoft-teams.json", "AWS_ECS_TASK_DEF_MICROSOFT_TEAMS"},
	{"taskdef-zoom.json", "AWS_ECS_TASK_DEF_ZOOM"},
}

// api is what setup calls; *ecs.Client implements it.
type api interface {
	CreateCluster(ctx context.Context, in *awsecs.CreateClusterInput, optFns ...func(*awsecs.Options)) (*awsecs.CreateClusterOutput, error)
	RegisterTaskDefinition(ctx context.Context, in *awsecs.RegisterTaskDefinitionInput, optFns ...func(*awsecs.Options)) (*awsecs.RegisterTaskDefinitionOutput, error)
}

// setup creates the cluster with both Fargate capacity providers (meeboter
// asks for Spot first and on-demand when Spot has none), registers the
// task definitions, and writes the settings as env lines to out.
func setup(ctx context.Context, client api, o options, out io.Writer) error {
	_, err := client.CreateCluster(ctx, &awsecs.CreateClusterInput{
		ClusterName:       aws.String(o.Cluster),
		CapacityProviders: []string{"FARGATE_SPOT", "FARGATE"},
		DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1},
		},
	})
	if err != nil {
		return fmt.Errorf("create cluster %s: %w", o.Cluster, err)
	}
	lines := []string{"AWS_REGION=" + o.Region, "AWS_ECS_CLUSTER=" + o.Cluster}
	for _, mp := range meetingPlatforms {
		in, err := readTaskDefinition(filepath.Join(o.Dir, mp.file), o)
		if err != nil {
			return err
		}
		reg, err := client.RegisterTaskDefinition(ctx, in)
		if err != nil {
			return fmt.Errorf("register %s: %w", mp.file, err)
		}
		lines = append(lines, mp.env+"="+aws.ToString(reg.TaskDefinition.TaskDefinitionArn))
	}
	_, err = fmt.Fprintln(out, strings.Join(lines, "\n"))
	return err
}

// readTaskDefinition reads a task definition file, fills its placeholders
// (the organisation lowercased, as image references must be) and decodes it as a RegisterTaskDefinition request. The files use the
// API's member names, as `aws ecs register-task-definition --cli-input-json`
// does; encoding/json matches them to the SDK's fields, and a member the
// SDK does not know is an error rather than silently dropped.
func readTaskDefinition(path string, o options) (*awsecs.RegisterTaskDefinitionInput, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	filled := strings.NewReplacer("ORG", strings.ToLower(o.Org), "TAG", o.Tag, "REGION", o.Region, "ACCOUNT_ID", o.Account).Replace(string(raw))
	dec := json.NewDecoder(bytes.NewReader([]byte(filled)))
	dec.DisallowUnknownFields()
	var in awsecs.RegisterTaskDefinitionInput
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &in, nil
}
