// Command setup creates the ECS cluster and registers the bot task
// definitions of examples/ecs, then prints the AWS_* settings that point
// meeboter at them. It talks to ECS through the AWS SDK's default chain,
// so AWS_ENDPOINT_URL_ECS sends it to an emulator such as kumo:
//
//	go run ./examples/ecs/setup -org acme >> ecs.env
//
// Placeholders in the task definition files are filled from the flags:
// ORG and TAG in the image, REGION and ACCOUNT_ID in ARNs.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/aws/aws-sdk-go-v2/config"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags, builds the client and sets up; it returns the exit
// code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.Dir, "dir", "examples/ecs", "directory holding the taskdef-*.json files")
	fs.StringVar(&o.Cluster, "cluster", cmp.Or(getenv("AWS_ECS_CLUSTER"), "meeboter"), "cluster to create")
	fs.StringVar(&o.Org, "org", getenv("GHCR_ORG"), "GitHub organisation of the bot images on ghcr.io")
	fs.StringVar(&o.Tag, "tag", "latest", "tag of the bot images")
	fs.StringVar(&o.Account, "account", "000000000000", "AWS account id, for the role and secret ARNs")
	fs.StringVar(&o.Region, "region", getenv("AWS_REGION"), "AWS region")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := o.validate(); err != nil {
		fmt.Fprintln(stderr, "setup:", err)
		return 2
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(o.Region))
	if err != nil {
		fmt.Fprintln(stderr, "setup: load AWS configuration:", err)
		return 1
	}
	if err := setup(ctx, awsecs.NewFromConfig(cfg), o, stdout); err != nil {
		fmt.Fprintln(stderr, "setup:", err)
		return 1
	}
	return 0
}
