package ecs

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/awscreds"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

var (
	_ platforms.Platform      = (*Platform)(nil)
	_ platforms.BatchStatuser = (*Platform)(nil)
	_ API                     = (*ecsapi.Client)(nil)
)

// API is the part of the ECS client the platform uses. *ecsapi.Client
// implements it; tests may wrap one.
type API interface {
	RunTask(ctx context.Context, in *ecsapi.RunTaskInput) (*ecsapi.RunTaskOutput, error)
	DescribeTasks(ctx context.Context, in *ecsapi.DescribeTasksInput) (*ecsapi.DescribeTasksOutput, error)
	StopTask(ctx context.Context, in *ecsapi.StopTaskInput) (*ecsapi.StopTaskOutput, error)
	ListTasks(ctx context.Context, in *ecsapi.ListTasksInput) (*ecsapi.ListTasksOutput, error)
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
// validated), with an ECS client on the endpoint Config.Endpoint names
// and credentials from the environment, the shared files, or the task or
// instance role, in the order the AWS SDKs look for them (see
// package awscreds). It makes no API call.
func New(cfg Config, logger *slog.Logger) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("ecs platform: %w", err)
	}
	creds, err := awscreds.New(awscreds.Options{Getenv: os.Getenv, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("ecs platform: AWS credentials: %w", err)
	}
	client, err := ecsapi.New(ecsapi.Options{Region: cfg.Region, Endpoint: cfg.Endpoint, Credentials: creds})
	if err != nil {
		return nil, fmt.Errorf("ecs platform: %w", err)
	}
	return newPlatform(cfg, client, logger), nil
}

// NewWithAPI is New with a client the caller built, for tests and for
// callers that configure the client themselves.
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
