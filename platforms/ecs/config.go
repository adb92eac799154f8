package ecs

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// Meeting platforms and the variables naming their task definitions.
var taskDefEnv = map[string]string{
	"google-meet":     "AWS_ECS_TASK_DEF_GOOGLE_MEET",
	"microsoft-teams": "AWS_ECS_TASK_DEF_MICROSOFT_TEAMS",
	"zoom":            "AWS_ECS_TASK_DEF_ZOOM",
}

// DefaultCapacityProviders is the order in which Deploy asks for capacity
// when Config.CapacityProviders is empty: Spot first, because it costs about
// a third, then on-demand Fargate when Spot has none. The original server
// used Spot alone, so a Spot shortage sent every bot to another platform.
var DefaultCapacityProviders = []string{"FARGATE_SPOT", "FARGATE"}

// Config is how bots are run on ECS. The zero value of every field means
// its default, so a Config built in code only names what it changes.
type Config struct {
	// Region is the AWS region of the cluster (AWS_REGION). Credentials
	// come from the environment, files and roles (package awscreds), not
	// from here.
	Region string
	// Endpoint is the ECS API's URL: AWS_ENDPOINT_URL_ECS, else
	// AWS_ENDPOINT_URL (an emulator, a VPC endpoint), as the AWS SDKs read
	// them unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. Empty means
	// the region's public endpoint, its FIPS one with
	// AWS_USE_FIPS_ENDPOINT=true.
	Endpoint string
	// Cluster is the cluster's short name or ARN (AWS_ECS_CLUSTER, default
	// "default", the cluster ECS itself assumes when none is named).
	Cluster string
	// TaskDefinitions maps a meeting platform (google-meet, microsoft-teams,
	// zoom) to the family, family:revision or ARN of its task definition
	// (AWS_ECS_TASK_DEF_GOOGLE_MEET, _MICROSOFT_TEAMS, _ZOOM). A bot for a
	// platform without one fails to deploy with an error naming the variable.
	TaskDefinitions map[string]string
	// Subnets and SecurityGroups place the tasks' network interfaces
	// (AWS_ECS_SUBNETS, AWS_ECS_SECURITY_GROUPS, comma lists). Fargate needs
	// at least one subnet; with no security group the VPC's default applies.
	Subnets, SecurityGroups []string
	// AssignPublicIP gives each task a public address, which a task in a
	// public subnet needs to pull images and reach the meetings
	// (AWS_ECS_ASSIGN_PUBLIC_IP, default true). Nil means the default.
	AssignPublicIP *bool
	// CapacityProviders are tried in order until one has room for the task
	// (AWS_ECS_CAPACITY_PROVIDERS, default FARGATE_SPOT,FARGATE). The
	// cluster must have each of them associated.
	CapacityProviders []string
	// ContainerName is the container of the task definition that runs the
	// bot and receives its environment (AWS_ECS_CONTAINER_NAME). Empty
	// means "<meeting platform>-bot" (google-meet-bot, ...), the names the
	// original server's task definitions use.
	ContainerName string
	// TaskDefSecrets names environment keys that the task definitions
	// supply themselves, from Secrets Manager or SSM (AWS_ECS_TASK_DEF_SECRETS,
	// comma list, e.g. S3_ACCESS_KEY,S3_SECRET_KEY). Deploy leaves them out
	// of the container override, whose values anyone allowed DescribeTasks
	// can read; the bot's own token always goes in the override, since it
	// differs for every bot.
	TaskDefSecrets []string
	// Limit is the most bots this platform runs at once (AWS_BOT_LIMIT).
	// Zero leaves the platform unused.
	Limit int
}

// ConfigFromEnv reads the AWS_* variables the original server used, so an
// existing .env keeps working, plus AWS_ECS_CAPACITY_PROVIDERS,
// AWS_ECS_CONTAINER_NAME and AWS_ECS_TASK_DEF_SECRETS. It fails on values
// that do not parse, naming the variable, rather than using a default.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Region:            strings.TrimSpace(getenv("AWS_REGION")),
		Endpoint:          endpointFromEnv(getenv),
		Cluster:           strings.TrimSpace(getenv("AWS_ECS_CLUSTER")),
		Subnets:           splitList(getenv("AWS_ECS_SUBNETS")),
		SecurityGroups:    splitList(getenv("AWS_ECS_SECURITY_GROUPS")),
		CapacityProviders: splitList(getenv("AWS_ECS_CAPACITY_PROVIDERS")),
		ContainerName:     strings.TrimSpace(getenv("AWS_ECS_CONTAINER_NAME")),
		TaskDefSecrets:    splitList(getenv("AWS_ECS_TASK_DEF_SECRETS")),
	}
	for platform, name := range taskDefEnv {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			if cfg.TaskDefinitions == nil {
				cfg.TaskDefinitions = map[string]string{}
			}
			cfg.TaskDefinitions[platform] = v
		}
	}
	var errs []error
	if v := strings.TrimSpace(getenv("AWS_ECS_ASSIGN_PUBLIC_IP")); v != "" {
		b, err := strconv.ParseBool(v)
		errs = append(errs, wrapEnv("AWS_ECS_ASSIGN_PUBLIC_IP", err))
		cfg.AssignPublicIP = &b
	}
	if v := strings.TrimSpace(getenv("AWS_USE_FIPS_ENDPOINT")); v != "" && cfg.Endpoint == "" {
		fips, err := strconv.ParseBool(v)
		errs = append(errs, wrapEnv("AWS_USE_FIPS_ENDPOINT", err))
		if fips && cfg.Region != "" {
			cfg.Endpoint = ecsapi.Endpoint(cfg.Region, true)
		}
	}
	if v := strings.TrimSpace(getenv("AWS_BOT_LIMIT")); v != "" {
		n, err := strconv.Atoi(v)
		errs = append(errs, wrapEnv("AWS_BOT_LIMIT", err))
		cfg.Limit = n
	}
	return cfg, errors.Join(errs...)
}

// endpointFromEnv is the configured ECS endpoint, if any.
func endpointFromEnv(getenv func(string) string) string {
	if ignore, _ := strconv.ParseBool(strings.TrimSpace(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))); ignore {
		return ""
	}
	return cmp.Or(strings.TrimSpace(getenv("AWS_ENDPOINT_URL_ECS")), strings.TrimSpace(getenv("AWS_ENDPOINT_URL")))
}

// splitList splits a comma list, dropping blanks, so "a, b," is [a b].
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func wrapEnv(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// withDefaults fills every unset field, copying the slices and map it
// keeps so a caller changing its Config later cannot change the platform.
func (c Config) withDefaults() Config {
	c.Cluster = cmp.Or(c.Cluster, "default")
	if c.AssignPublicIP == nil {
		c.AssignPublicIP = new(true)
	} else {
		c.AssignPublicIP = new(*c.AssignPublicIP)
	}
	if len(c.CapacityProviders) == 0 {
		c.CapacityProviders = DefaultCapacityProviders
	}
	c.CapacityProviders = slices.Clone(c.CapacityProviders)
	c.Subnets = slices.Clone(c.Subnets)
	c.SecurityGroups = slices.Clone(c.SecurityGroups)
	c.TaskDefSecrets = slices.Clone(c.TaskDefSecrets)
	defs := make(map[string]string, len(c.TaskDefinitions))
	for k, v := range c.TaskDefinitions {
		defs[k] = v
	}
	c.TaskDefinitions = defs
	return c
}

// validate rejects a configuration that would only fail later, at the first
// deploy, with a less helpful error from ECS. Each error names the
// variable to fix.
func (c Config) validate() error {
	var errs []error
	if c.Region == "" {
		errs = append(errs, errors.New("AWS_REGION: not set"))
	}
	if len(c.TaskDefinitions) == 0 {
		errs = append(errs, errors.New("no task definition: set AWS_ECS_TASK_DEF_GOOGLE_MEET, AWS_ECS_TASK_DEF_MICROSOFT_TEAMS or AWS_ECS_TASK_DEF_ZOOM"))
	}
	for platform, def := range c.TaskDefinitions {
		if _, ok := taskDefEnv[platform]; !ok {
			errs = append(errs, fmt.Errorf("task definition for unknown meeting platform %q", platform))
		} else if def == "" {
			errs = append(errs, fmt.Errorf("%s: empty", taskDefEnv[platform]))
		}
	}
	if len(c.Subnets) == 0 {
		errs = append(errs, errors.New("AWS_ECS_SUBNETS: not set; Fargate tasks need at least one subnet"))
	}
	if c.Endpoint != "" {
		if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("AWS_ENDPOINT_URL_ECS: %q is not an http(s) URL", c.Endpoint))
		}
	}
	if c.Limit < 0 {
		errs = append(errs, fmt.Errorf("AWS_BOT_LIMIT: %d is negative", c.Limit))
	}
	if slices.Contains(c.TaskDefSecrets, botTokenKey) {
		errs = append(errs, fmt.Errorf("AWS_ECS_TASK_DEF_SECRETS: %s is per bot and cannot come from the task definition", botTokenKey))
	}
	if i := firstDuplicate(c.CapacityProviders); i >= 0 {
		errs = append(errs, fmt.Errorf("AWS_ECS_CAPACITY_PROVIDERS: %s is listed twice", c.CapacityProviders[i]))
	}
	return errors.Join(errs...)
}

// firstDuplicate returns the index of the first element seen before, or -1.
func firstDuplicate(list []string) int {
	seen := map[string]bool{}
	for i, s := range list {
		if seen[s] {
			return i
		}
		seen[s] = true
	}
	return -1
}

// taskDefinition returns the task definition for a meeting platform.
func (c Config) taskDefinition(meetingPlatform string) (string, error) {
	name, known := taskDefEnv[meetingPlatform]
	if !known {
		return "", fmt.Errorf("unknown meeting platform %q", meetingPlatform)
	}
	def := c.TaskDefinitions[meetingPlatform]
	if def == "" {
		return "", fmt.Errorf("no task definition for %s: set %s", meetingPlatform, name)
	}
	return def, nil
}

// containerName is the container that receives the bot's environment.
func (c Config) containerName(meetingPlatform string) string {
	return cmp.Or(c.ContainerName, meetingPlatform+"-bot")
}
