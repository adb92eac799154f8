package kubernetes

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Config is how bots are run on the cluster. The zero value of every field
// means its default, so a Config built in code only names what it changes.
type Config struct {
	// Namespace holds the bot Jobs, their pods and Secrets (K8S_NAMESPACE,
	// default meeboter).
	Namespace string
	// ImageRegistry is the registry and organisation the bot images live
	// under, e.g. ghcr.io/acme (K8S_IMAGE_REGISTRY, default ghcr.io/$GHCR_ORG).
	ImageRegistry string
	// ImageTag is the tag of the bot images (K8S_IMAGE_TAG, default latest).
	ImageTag string
	// ImagePullSecret names a Secret in Namespace for pulling private
	// images (K8S_IMAGE_PULL_SECRET, default none).
	ImagePullSecret string
	// CPURequest, CPULimit, MemoryRequest and MemoryLimit are the bot
	// container's resources (K8S_BOT_CPU_REQUEST and so on; defaults 500m,
	// 1000m, 1Gi, 2Gi). A browser in a call needs about a core.
	CPURequest, CPULimit, MemoryRequest, MemoryLimit string
	// ShmSize bounds the memory-backed /dev/shm (K8S_BOT_SHM_SIZE, default
	// 512Mi). Chromium crashes with the container runtime's 64Mi default.
	ShmSize string
	// Limit is the most bots this platform runs at once (K8S_BOT_LIMIT).
	// Zero leaves the platform unused.
	Limit int
	// TTLSecondsAfterFinished lets Kubernetes delete finished Jobs after
	// this long, keeping their pods around briefly for `kubectl logs`
	// (K8S_JOB_TTL_SECONDS, default 300).
	TTLSecondsAfterFinished int32
	// StopGrace is the pod's termination grace period: how long a bot has
	// to leave the call after Stop (K8S_STOP_GRACE, default 30s).
	StopGrace time.Duration
}

// ConfigFromEnv reads the K8S_* variables and GHCR_ORG, the names the
// original server used, so an existing .env keeps working. It fails on
// values that do not parse rather than silently using a default.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Namespace:       getenv("K8S_NAMESPACE"),
		ImageRegistry:   getenv("K8S_IMAGE_REGISTRY"),
		ImageTag:        getenv("K8S_IMAGE_TAG"),
		ImagePullSecret: getenv("K8S_IMAGE_PULL_SECRET"),
		CPURequest:      getenv("K8S_BOT_CPU_REQUEST"),
		CPULimit:        getenv("K8S_BOT_CPU_LIMIT"),
		MemoryRequest:   getenv("K8S_BOT_MEMORY_REQUEST"),
		MemoryLimit:     getenv("K8S_BOT_MEMORY_LIMIT"),
		ShmSize:         getenv("K8S_BOT_SHM_SIZE"),
	}
	if cfg.ImageRegistry == "" {
		cfg.ImageRegistry = ghcrRegistry(getenv("GHCR_ORG"))
	}
	var errs []error
	if v := getenv("K8S_BOT_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		errs = append(errs, wrapEnv("K8S_BOT_LIMIT", err))
		cfg.Limit = n
	}
	if v := getenv("K8S_JOB_TTL_SECONDS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		errs = append(errs, wrapEnv("K8S_JOB_TTL_SECONDS", err))
		cfg.TTLSecondsAfterFinished = int32(n)
	}
	if v := getenv("K8S_STOP_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		errs = append(errs, wrapEnv("K8S_STOP_GRACE", err))
		cfg.StopGrace = d
	}
	return cfg, errors.Join(errs...)
}

// ghcrRegistry turns GHCR_ORG into a full registry path. The original
// server used the bare organisation as the registry, which Docker resolves
// on Docker Hub; the images live on ghcr.io.
func ghcrRegistry(org string) string {
	org = strings.Trim(strings.TrimPrefix(org, "ghcr.io/"), "/")
	if org == "" {
		return ""
	}
	return "ghcr.io/" + org
}

func wrapEnv(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// withDefaults fills every unset field.
func (c Config) withDefaults() Config {
	c.Namespace = cmp.Or(c.Namespace, "meeboter")
	c.ImageRegistry = strings.TrimSuffix(c.ImageRegistry, "/")
	c.ImageTag = cmp.Or(c.ImageTag, "latest")
	c.CPURequest = cmp.Or(c.CPURequest, "500m")
	c.CPULimit = cmp.Or(c.CPULimit, "1000m")
	c.MemoryRequest = cmp.Or(c.MemoryRequest, "1Gi")
	c.MemoryLimit = cmp.Or(c.MemoryLimit, "2Gi")
	c.ShmSize = cmp.Or(c.ShmSize, "512Mi")
	c.TTLSecondsAfterFinished = cmp.Or(c.TTLSecondsAfterFinished, 300)
	c.StopGrace = cmp.Or(c.StopGrace, 30*time.Second)
	return c
}

// validate rejects a configuration that would only fail later, at the
// first deploy, with a less helpful error from the API server.
func (c Config) validate() error {
	var errs []error
	if c.ImageRegistry == "" {
		errs = append(errs, errors.New("image registry not set: set K8S_IMAGE_REGISTRY or GHCR_ORG"))
	}
	if c.Limit < 0 {
		errs = append(errs, fmt.Errorf("limit %d is negative", c.Limit))
	}
	if c.TTLSecondsAfterFinished < 0 || c.StopGrace < 0 {
		errs = append(errs, errors.New("TTL and stop grace must not be negative"))
	}
	for name, q := range map[string]string{
		"cpu request": c.CPURequest, "cpu limit": c.CPULimit, "memory request": c.MemoryRequest,
		"memory limit": c.MemoryLimit, "shm size": c.ShmSize,
	} {
		if _, err := resource.ParseQuantity(q); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", name, q, err))
		}
	}
	return errors.Join(errs...)
}
