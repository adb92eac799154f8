package coolify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Docker's notation for limits, as Coolify passes them to docker run.
// Compiled on first use: a daemon without Coolify never needs them.
var (
	cpuRe    = lazyRegexp(`^[0-9]+(\.[0-9]+)?$`)
	memoryRe = lazyRegexp(`^[0-9]+[bkmgBKMG]?$`)
)

// lazyRegexp compiles expr the first time the returned function is
// called, so that linking this package costs the daemon nothing at start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Validate checks a configuration, defaults filled in, and reports every
// problem at once, each naming its variable. New calls it.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if err := checkAPIURL(c.APIURL); err != nil {
		errs = append(errs, fmt.Errorf("COOLIFY_API_URL: %w", err))
	}
	for _, req := range []struct{ name, v string }{
		{"COOLIFY_API_TOKEN", c.Token}, {"COOLIFY_PROJECT_UUID", c.ProjectUUID}, {"COOLIFY_SERVER_UUID", c.ServerUUID},
	} {
		if req.v == "" {
			add("%s is required to use Coolify", req.name)
		}
	}
	if c.BotLimit < 0 {
		add("COOLIFY_BOT_LIMIT: %d is negative", c.BotLimit)
	}
	if c.PoolMax < 1 {
		add("COOLIFY_POOL_MAX: %d must be at least 1", c.PoolMax)
	}
	errs = append(errs, c.checkMinIdle()...)
	if c.RateLimit < 2 {
		add("COOLIFY_RATE_LIMIT: %d requests a minute is too few to run a pool", c.RateLimit)
	}
	if c.DeployConcurrency < 1 {
		add("DEPLOYMENT_QUEUE_MAX_CONCURRENT: %d must be at least 1", c.DeployConcurrency)
	}
	if !cpuRe().MatchString(c.CPULimit) {
		add("COOLIFY_BOT_CPU_LIMIT: %q is not a CPU count such as 1 or 1.5", c.CPULimit)
	}
	if !memoryRe().MatchString(c.MemoryLimit) {
		add("COOLIFY_BOT_MEMORY_LIMIT: %q is not a size such as 2048m or 2g", c.MemoryLimit)
	}
	if c.PollMax < c.PollInterval {
		add("COOLIFY_POLL_MAX (%v) is shorter than COOLIFY_POLL_INTERVAL (%v)", c.PollMax, c.PollInterval)
	}
	errs = append(errs, c.checkImages()...)
	if c.CAFile != "" {
		if _, err := loadCAFile(c.CAFile); err != nil {
			errs = append(errs, fmt.Errorf("COOLIFY_CA_FILE: %w", err))
		}
	}
	return errors.Join(errs...)
}

func checkAPIURL(v string) error {
	if v == "" {
		return errors.New("required to use Coolify, e.g. https://coolify.example.com/api/v1")
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an http(s) URL", v)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must not carry a query, fragment or credentials", v)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("%q: use https (the token is sent on every request); http is accepted for loopback hosts only", v)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c Config) checkMinIdle() []error {
	var errs []error
	total := 0
	for mp, n := range c.MinIdle {
		if !slices.Contains(MeetingPlatforms, mp) {
			errs = append(errs, fmt.Errorf("COOLIFY_POOL_MIN_IDLE: unknown meeting platform %q (want %s)", mp, strings.Join(MeetingPlatforms, ", ")))
		}
		total += n
	}
	if total > c.PoolMax {
		errs = append(errs, fmt.Errorf("COOLIFY_POOL_MIN_IDLE asks for %d idle slots, more than COOLIFY_POOL_MAX (%d)", total, c.PoolMax))
	}
	return errs
}

func (c Config) checkImages() []error {
	var errs []error
	for mp := range c.Images {
		if !slices.Contains(MeetingPlatforms, mp) {
			errs = append(errs, fmt.Errorf("image override for unknown meeting platform %q", mp))
		}
	}
	if !imageTagRe().MatchString(c.ImageTag) {
		errs = append(errs, fmt.Errorf("COOLIFY_IMAGE_TAG: %q is not a tag Coolify accepts", c.ImageTag))
	}
	for _, mp := range MeetingPlatforms {
		if _, err := c.Image(mp); err != nil {
			name := imageVars[mp]
			if _, ok := c.Images[mp]; !ok {
				name = "GHCR_ORG"
			}
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errs
}

// loadCAFile reads a PEM bundle into a pool holding the system roots plus
// the file's certificates.
func loadCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}
