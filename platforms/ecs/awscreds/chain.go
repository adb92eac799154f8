// Package awscreds finds the daemon's AWS credentials the way the AWS SDK's
// default chain does (config.LoadDefaultConfig), from the same variables
// and files, in the same order:
//
//  1. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN);
//  2. AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS IRSA, GitHub OIDC):
//     STS AssumeRoleWithWebIdentity;
//  3. the profile AWS_PROFILE names (else "default") in ~/.aws/credentials
//     and ~/.aws/config: static keys or credential_process;
//  4. the container endpoint of an ECS task role or EKS Pod Identity
//     (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, _FULL_URI);
//  5. the EC2 instance metadata service, unless
//     AWS_EC2_METADATA_DISABLED=true.
//
// The SDK's chain is not used because its config package links the SSO,
// SSO-OIDC, sign-in and STS service clients, whose package init costs every
// daemon start about 1 MB of heap and 3 MB of resident binary pages whether
// or not ECS is configured. This package is built from the SDK's light
// pieces only (aws, credentials, endpointcreds, ec2rolecreds, processcreds,
// imds) and calls STS itself with one unsigned Query request.
//
// Profiles that assume a role, or use SSO or "aws login", are not
// supported; New says so and how to export such a profile's credentials
// through credential_process instead.
package awscreds

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options configure the chain.
type Options struct {
	// Getenv reads the environment (os.Getenv in the daemon). Required.
	Getenv func(string) string
	// HTTPClient calls STS and the container endpoint (default: a client
	// with a 10 s timeout on http.DefaultTransport). A client that skips
	// TLS verification is refused. The instance metadata service keeps
	// the SDK's own client, which gives up within a second where there is
	// no such service, unless HTTPClient is set.
	HTTPClient *http.Client
	// Region names the STS endpoint, https://sts.<region>.amazonaws.com/
	// (the global https://sts.amazonaws.com/ when empty).
	Region string
	// Home is where ~/.aws is (default os.UserHomeDir()).
	Home string
}

// defaultTimeout bounds one call to STS or to the container endpoint.
const defaultTimeout = 10 * time.Second

// settings are the options with their defaults, and the profile read from
// the shared files, handed to every source.
type settings struct {
	getenv       func(string) string
	client       *http.Client
	callerClient *http.Client // Options.HTTPClient as given, maybe nil
	region       string
	profile      *profile // nil when the files have no such profile
}

// source is one link of the chain: it returns nil, nil when it is not
// configured, and an error when it is configured wrongly.
type source struct {
	resolve func(*settings) (aws.CredentialsProvider, error)
	// expiryWindow is how long before expiry the cache refreshes; the SDK
	// uses 5 minutes for the container endpoint and none elsewhere.
	expiryWindow time.Duration
}

// chain is the SDK default chain's order. The last source always answers.
var chain = []source{
	{resolve: envCredentials},
	{resolve: webIdentity},
	{resolve: sharedFiles},
	{resolve: container, expiryWindow: 5 * time.Minute},
	{resolve: instanceRole},
}

// New reads the environment and the shared files once, picks the first
// source of the chain that is configured, and returns it wrapped in an
// aws.CredentialsCache, which fetches on the first Retrieve and again
// before the credentials expire. It keeps using that source: a failing
// task role does not fall back to an instance role, as in the SDK.
//
// The source is chosen here, from configuration alone, rather than on the
// first Retrieve, so that a wrong configuration fails when the daemon
// starts, and so that the cache wraps the chosen provider itself and uses
// its refresh strategies (the instance role keeps stale credentials a
// little longer while the metadata service is down).
//
// New makes no network call. It fails only on configuration that is
// plainly wrong, and the error names the variable, or the profile and
// file, to fix.
func New(opts Options) (aws.CredentialsProvider, error) {
	if opts.Getenv == nil {
		return nil, errors.New("aws credentials: Options.Getenv is required")
	}
	client, err := httpClient(opts.HTTPClient)
	if err != nil {
		return nil, err
	}
	home := opts.Home
	if home == "" {
		home, _ = os.UserHomeDir() // no home: only the files named by variables
	}
	prof, err := loadProfile(opts.Getenv, home)
	if err != nil {
		return nil, err
	}
	s := &settings{
		getenv:       opts.Getenv,
		client:       client,
		callerClient: opts.HTTPClient,
		region:       opts.Region,
		profile:      prof,
	}
	for _, src := range chain {
		p, err := src.resolve(s)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		return aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) {
			o.ExpiryWindow = src.expiryWindow
		}), nil
	}
	return nil, errorf("no source answered") // not reached: instanceRole always does
}

// httpClient returns the caller's client, or the default one. Credentials
// travel over it, so a client that does not verify TLS is an error rather
// than a silent risk.
func httpClient(c *http.Client) (*http.Client, error) {
	if c == nil {
		return &http.Client{Timeout: defaultTimeout}, nil
	}
	if t, ok := c.Transport.(*http.Transport); ok && insecure(t.TLSClientConfig) {
		return nil, errors.New("aws credentials: Options.HTTPClient skips TLS verification; credentials are never fetched that way")
	}
	return c, nil
}

func insecure(c *tls.Config) bool { return c != nil && c.InsecureSkipVerify }

// errorf prefixes every error of the package, so a log line says what
// failed before it says why.
func errorf(format string, args ...any) error {
	return fmt.Errorf("aws credentials: "+format, args...)
}
