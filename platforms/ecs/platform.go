package ecs

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/config"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/meeboter/meeboter/platforms"
)

var (
	_ platforms.Platform      = (*Platform)(nil)
	_ platforms.BatchStatuser = (*Platform)(nil)
	_ API                     = (*awsecs.Client)(nil)
)

// API is the part of the ECS client the platform uses. *ecs.Client from
// aws-sdk-go-v2 implements it; tests may wrap one.
type API interface {
	RunTask(ctx context.Context, in *awsecs.RunTaskInput, optFns ...func(*awsecs.Options)) (*awsecs.RunTaskOutput, error)
	DescribeTasks(ctx context.Context, in *awsecs.DescribeTasksInput, optFns ...func(*awsecs.Options)) (*awsecs.DescribeTasksOutput, error)
	StopTask(ctx context.Context, in *awsecs.StopTaskInput, optFns ...func(*awsecs.Options)) (*awsecs.StopTaskOutput, error)
	awsecs.ListTasksAPIClient
}

// maxDescribe is the most task ARNs DescribeTasks accepts in one call, and
// maxPage the largest ListTasks page.
const (
	maxDescribe = 100
	maxPage     = 100
)

// Platform runs bots as Fargate tasks in one cluster. It keeps no state of
// its own beyond its configuration: every answer comes from ECS, so any
// number of daemons can share a cluster and a restarted daemon sees
// everything. It is safe for concurrent use.
type Platform struct {
	cfg Config
	api API
	log *slog.Logger
}

// New builds the platform from a Config (defaults filled in, then
// validated), with an ECS client from the SDK's default chain: credentials
// from the environment, shared files, or the task or instance role, and the
// endpoint from AWS_ENDPOINT_URL_ECS when set (an emulator, a VPC endpoint).
// It makes no API call.
func New(ctx context.Context, cfg Config, logger *slog.Logger) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("ecs platform: %w", err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
	if err != nil {
		return nil, fmt.Errorf("ecs platform: load AWS configuration: %w", err)
	}
	return newPlatform(cfg, awsecs.NewFromConfig(awsCfg), logger), nil
}

// NewWithAPI is New with a client the caller built, for tests and for
// callers that configure the SDK themselves.
func NewWithAPI(cfg Config, api API, logger *slog.Logger) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("ecs platform: %w", err)
	}
	if api == nil {
		return nil, fmt.Errorf("ecs platform: no ECS client")
	}
	return newPlatform(cfg, api, logger), nil
}

func newPlatform(cfg Config, api API, logger *slog.Logger) *Platform {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Platform{
		cfg: cfg,
		api: api,
		log: logger.With("component", "platform_ecs", "cluster", cfg.Cluster),
	}
}

// Name returns platforms.AWS, the name used in PLATFORM_PRIORITY.
func (p *Platform) Name() string { return platforms.AWS }

// Capacity is Config.Limit (AWS_BOT_LIMIT). The daemon counts running bots
// in its database; ECS may still refuse a task for want of capacity, which
// Deploy reports as ErrNoCapacity.
func (p *Platform) Capacity() int { return p.cfg.Limit }

// Config returns the configuration in effect, defaults included, for
// `meeboter config view` and diagnostics.
func (p *Platform) Config() Config { return p.cfg.withDefaults() }
