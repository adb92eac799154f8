package awscreds

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

// noCredentials says what was tried, for the error of the last source.
const noCredentials = "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
	"AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or AWS_PROFILE, or run with a task or instance role"

// Default addresses of the instance metadata service, set explicitly so
// that the imds client does not read the process environment behind
// Options.Getenv.
const (
	imdsIPv4 = "http://169.254.169.254"
	imdsIPv6 = "http://[fd00:ec2::254]"
)

// instanceRole is the last source: the EC2 instance's role, read from the
// instance metadata service (IMDSv2, falling back to v1 unless
// AWS_EC2_METADATA_V1_DISABLED=true). AWS_EC2_METADATA_DISABLED=true turns
// it off; AWS_EC2_METADATA_SERVICE_ENDPOINT and
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (IPv4, IPv6) move it, as in the
// SDK. It always answers: with nothing configured anywhere, Retrieve says
// what could have been.
func instanceRole(s *settings) (aws.CredentialsProvider, error) {
	if strings.EqualFold(s.getenv("AWS_EC2_METADATA_DISABLED"), "true") {
		return noSource{}, nil
	}
	o := imds.Options{ClientEnableState: imds.ClientEnabled}
	if s.callerClient != nil {
		o.HTTPClient = s.callerClient
	}
	switch mode := s.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"); {
	case s.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT") != "":
		o.Endpoint = s.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")
	case mode == "" || strings.EqualFold(mode, "IPv4"):
		o.Endpoint = imdsIPv4
	case strings.EqualFold(mode, "IPv6"):
		o.Endpoint = imdsIPv6
	default:
		return nil, errorf("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: %q is neither IPv4 nor IPv6", mode)
	}
	switch v := s.getenv("AWS_EC2_METADATA_V1_DISABLED"); {
	case strings.EqualFold(v, "true"):
		o.EnableFallback = aws.FalseTernary
	case v == "", strings.EqualFold(v, "false"):
	default:
		return nil, errorf("AWS_EC2_METADATA_V1_DISABLED: %q is neither true nor false", v)
	}
	client := imds.New(o)
	return instanceProvider{ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = client })}, nil
}

// instanceProvider adds what was tried to the metadata service's error,
// which alone ("no EC2 IMDS role found") reads like an EC2 problem on a
// laptop. It passes on the provider's cache strategies, which keep
// credentials a little past expiry while the service is down.
type instanceProvider struct{ p *ec2rolecreds.Provider }

func (i instanceProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := i.p.Retrieve(ctx)
	if err != nil {
		return c, errorf("%s (EC2 instance metadata: %w)", noCredentials, err)
	}
	return c, nil
}

func (i instanceProvider) HandleFailToRefresh(ctx context.Context, prev aws.Credentials, err error) (aws.Credentials, error) {
	return i.p.HandleFailToRefresh(ctx, prev, err)
}

func (i instanceProvider) AdjustExpiresBy(c aws.Credentials, d time.Duration) (aws.Credentials, error) {
	return i.p.AdjustExpiresBy(c, d)
}

func (i instanceProvider) ProviderSources() []aws.CredentialSource { return i.p.ProviderSources() }

// noSource is the end of a chain with the metadata service turned off.
type noSource struct{}

func (noSource) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errorf("%s (EC2 instance metadata is off: AWS_EC2_METADATA_DISABLED=true)", noCredentials)
}
