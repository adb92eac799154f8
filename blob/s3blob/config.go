package s3blob

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// Environment variable names, as the original server and the bot images
// use them.
const (
	EnvEndpoint       = "S3_ENDPOINT"
	EnvAccessKey      = "S3_ACCESS_KEY"
	EnvSecretKey      = "S3_SECRET_KEY"
	EnvBucket         = "S3_BUCKET_NAME"
	EnvRegion         = "S3_REGION"
	EnvForcePathStyle = "S3_FORCE_PATH_STYLE"
)

// DefaultRegion is the region when none is configured, as in the original.
const DefaultRegion = "us-east-1"

// MinPartSize is the smallest multipart part S3 accepts (except the last).
const MinPartSize = 5 << 20

// Secret is a credential. It prints, logs and marshals as "[redacted]",
// so a Config can be logged whole without leaking it.
type Secret string

const redacted = "[redacted]"

// String implements fmt.Stringer.
func (s Secret) String() string { return redact(s) }

// GoString implements fmt.GoStringer, for %#v.
func (s Secret) GoString() string { return strconv.Quote(redact(s)) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redact(s)) }

// MarshalText implements encoding.TextMarshaler, for JSON and YAML.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redact(s)), nil }

func redact(s Secret) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Config configures a Store.
type Config struct {
	// Endpoint is the URL of an S3-compatible server. Empty means AWS S3
	// in Region.
	Endpoint string
	// AccessKey and SecretKey are static credentials.
	AccessKey string
	SecretKey Secret
	// Bucket is the bucket every key lives in.
	Bucket string
	// Region is the SigV4 signing region. Empty means DefaultRegion.
	Region string
	// PathStyle puts the bucket in the URL path instead of the host name.
	// ConfigFromEnv sets it as the package documentation describes.
	PathStyle bool
	// PartSize is the multipart part size, at least MinPartSize. Zero
	// means 8 MiB. Bodies of at least twice this size go up in parts.
	PartSize int64
	// HTTPClient sends the requests. Nil means the SDK's default client,
	// which verifies TLS certificates against the system roots.
	HTTPClient *http.Client
	// Now is the clock presigned URLs are signed with. Nil means time.Now.
	Now func() time.Time
}

// LogValue implements slog.LogValuer: the settings an operator checks,
// without the secret.
func (cfg Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", cmp.Or(cfg.Endpoint, "AWS")),
		slog.String("bucket", cfg.Bucket),
		slog.String("region", cmp.Or(cfg.Region, DefaultRegion)),
		slog.Bool("path_style", cfg.PathStyle),
		slog.String("access_key", cfg.AccessKey),
		slog.Any("secret_key", cfg.SecretKey),
	)
}

// ConfigFromEnv reads a Config from the S3_* variables through getenv
// (os.Getenv, or a map lookup for a bot's environment). Every error names
// the variable at fault.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Endpoint:  getenv(EnvEndpoint),
		AccessKey: getenv(EnvAccessKey),
		SecretKey: Secret(getenv(EnvSecretKey)),
		Bucket:    getenv(EnvBucket),
		Region:    getenv(EnvRegion),
	}
	cfg.PathStyle = cfg.Endpoint != ""
	if v := getenv(EnvForcePathStyle); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %q is not true or false", EnvForcePathStyle, v)
		}
		cfg.PathStyle = b
	}
	err := cfg.check(map[string]string{"Endpoint": EnvEndpoint, "AccessKey": EnvAccessKey,
		"SecretKey": EnvSecretKey, "Bucket": EnvBucket, "Region": EnvRegion})
	return cfg, err
}

// Validate checks cfg; errors name the field.
func (cfg Config) Validate() error { return cfg.check(nil) }

// check validates cfg. names maps a field to the name errors use for it
// (an environment variable); a field without one is named as itself.
func (cfg Config) check(names map[string]string) error {
	name := func(field string) string {
		if n, ok := names[field]; ok {
			return n
		}
		return field
	}
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name(field), err))
		}
	}
	add("Endpoint", checkEndpoint(cfg.Endpoint))
	add("AccessKey", required(cfg.AccessKey))
	add("SecretKey", required(string(cfg.SecretKey)))
	add("Bucket", checkBucket(cfg.Bucket))
	add("Region", checkRegion(cfg.Region))
	if cfg.PartSize != 0 && cfg.PartSize < MinPartSize {
		add("PartSize", fmt.Errorf("must be at least %d bytes", MinPartSize))
	}
	return errors.Join(errs...)
}

func required(v string) error {
	if v == "" {
		return errors.New("is required")
	}
	return nil
}

func checkEndpoint(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q must be an http or https URL", v)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must not carry credentials, a query or a fragment", v)
	}
	return nil
}

// bucketName follows S3's general purpose bucket naming rules.
// The length is checked apart from the pattern: a counted repetition
// ({1,64}) compiles to one copy of its class per count, tens of KB built
// at every start.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)

func checkBucket(v string) error {
	if v == "" {
		return errors.New("is required")
	}
	if len(v) < 3 || len(v) > 63 || !bucketName.MatchString(v) {
		return fmt.Errorf("%q must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit", v)
	}
	return nil
}

var regionName = regexp.MustCompile(`^[a-z0-9-]+$`)

func checkRegion(v string) error {
	if v != "" && (len(v) > 32 || !regionName.MatchString(v)) {
		return fmt.Errorf("%q is not a region name", v)
	}
	return nil
}
