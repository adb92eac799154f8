package awscreds

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// webIdentitySourceName is the SDK's name for this source (stscreds).
const webIdentitySourceName = "WebIdentityCredentials"

// stsVersion is the STS API version of the Query protocol.
const stsVersion = "2011-06-15"

// stsAttempts and the retried answers follow the SDK's standard retryer
// (its tables in aws/retry) and the additions stscreds makes for this call:
// IDPCommunicationError, and InvalidIdentityToken, which a token read a
// moment before it became valid can get.
const stsAttempts = 3

var stsRetriedCodes = map[string]bool{"IDPCommunicationError": true, "InvalidIdentityToken": true}

// maxSTSBody bounds an STS answer read into memory; a real one is under
// 4 KB.
const maxSTSBody = 1 << 20

// webIdentity is the second source: a role assumed with the OIDC token in
// AWS_WEB_IDENTITY_TOKEN_FILE, as EKS (IRSA) and CI runners provide.
//
// The call is STS AssumeRoleWithWebIdentity, made here rather than with
// the SDK's STS client, whose package init alone costs more than the whole
// daemon may spend. The call is unsigned (the token is the proof), so the
// Query protocol is one form POST and one small XML answer.
func webIdentity(s *settings) (aws.CredentialsProvider, error) {
	tokenFile := s.getenv("AWS_WEB_IDENTITY_TOKEN_FILE")
	if tokenFile == "" {
		return nil, nil
	}
	role := s.getenv("AWS_ROLE_ARN")
	if role == "" {
		return nil, errorf("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: set the ARN of the role to assume")
	}
	endpoint, err := stsEndpoint(s.getenv, s.region)
	if err != nil {
		return nil, err
	}
	return &webIdentityProvider{
		client:      s.client,
		endpoint:    endpoint,
		roleARN:     role,
		sessionName: s.getenv("AWS_ROLE_SESSION_NAME"),
		tokenFile:   tokenFile,
		now:         time.Now,
		backoff:     sdkBackoff,
	}, nil
}

// stsEndpoint is AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL (unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else the region's public
// endpoint, as the SDK resolves it.
func stsEndpoint(getenv func(string) string, region string) (string, error) {
	if !strings.EqualFold(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		if v, name := firstSet(getenv, "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"); v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return "", errorf("%s: %q is not an http(s) URL", name, v)
			}
			return v, nil
		}
	}
	switch {
	case region == "", region == "aws-global":
		return "https://sts.amazonaws.com/", nil
	case !validRegion(region):
		return "", errorf("region %q is not an AWS region name", region)
	case strings.HasPrefix(region, "cn-"):
		return "https://sts." + region + ".amazonaws.com.cn/", nil
	}
	return "https://sts." + region + ".amazonaws.com/", nil
}

// validRegion keeps a region a single DNS label, so it cannot redirect
// the token to another host.
func validRegion(r string) bool {
	for _, c := range r {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return r != ""
}

// webIdentityProvider calls AssumeRoleWithWebIdentity on every Retrieve;
// the cache calls Retrieve again before the credentials expire.
type webIdentityProvider struct {
	client      *http.Client
	endpoint    string
	roleARN     string
	sessionName string // "" means meeboter-<unix nanos>, new each call
	tokenFile   string
	now         func() time.Time
	backoff     func(attempt int) time.Duration
}

// Retrieve reads the token file, which the platform rotates (hourly on
// EKS), and trades it for credentials, trying up to three times.
func (p *webIdentityProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	var err error
	for attempt := 1; ; attempt++ {
		var creds aws.Credentials
		var retry bool
		creds, retry, err = p.assume(ctx)
		if err == nil {
			return creds, nil
		}
		if !retry || attempt == stsAttempts {
			break
		}
		t := time.NewTimer(p.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return aws.Credentials{Source: webIdentitySourceName}, fmt.Errorf("%w (waiting to retry after: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
	return aws.Credentials{Source: webIdentitySourceName}, err
}

// ProviderSources reports the source for the SDK's user agent metrics.
func (p *webIdentityProvider) ProviderSources() []aws.CredentialSource {
	return []aws.CredentialSource{aws.CredentialSourceEnvVarsSTSWebIDToken, aws.CredentialSourceSTSAssumeRoleWebID}
}

// assume makes one call and says whether a failure is worth another.
func (p *webIdentityProvider) assume(ctx context.Context) (aws.Credentials, bool, error) {
	raw, err := os.ReadFile(p.tokenFile)
	if err != nil {
		return aws.Credentials{}, false, errorf("AWS_WEB_IDENTITY_TOKEN_FILE: %w", err)
	}
	token := strings.TrimSpace(string(raw))
	if token == "" {
		return aws.Credentials{}, false, errorf("AWS_WEB_IDENTITY_TOKEN_FILE: %s is empty", p.tokenFile)
	}
	session := p.sessionName
	if session == "" {
		session = "meeboter-" + strconv.FormatInt(p.now().UnixNano(), 10)
	}
	form := url.Values{
		"Action":           {"AssumeRoleWithWebIdentity"},
		"Version":          {stsVersion},
		"RoleArn":          {p.roleARN},
		"RoleSessionName":  {session},
		"WebIdentityToken": {token},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return aws.Credentials{}, false, errorf("sts request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.client.Do(req)
	if err != nil {
		// A transport error is worth another try unless the caller gave up.
		return aws.Credentials{}, ctx.Err() == nil, errorf("sts AssumeRoleWithWebIdentity: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSTSBody))
	if err != nil {
		return aws.Credentials{}, ctx.Err() == nil, errorf("sts AssumeRoleWithWebIdentity: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		e := parseSTSError(resp.StatusCode, body)
		e.Role = p.roleARN
		return aws.Credentials{}, e.retryable(), e
	}
	creds, err := parseSTSCredentials(body)
	return creds, false, err
}

// stsAnswer is the documented AssumeRoleWithWebIdentityResponse, of
// which only the credentials and the role's ARN (for the account) are
// read. Element names match in any namespace.
type stsAnswer struct {
	XMLName xml.Name `xml:"AssumeRoleWithWebIdentityResponse"`
	Result  struct {
		Credentials *struct {
			AccessKeyID     string `xml:"AccessKeyId"`
			SecretAccessKey string `xml:"SecretAccessKey"`
			SessionToken    string `xml:"SessionToken"`
			Expiration      string `xml:"Expiration"`
		} `xml:"Credentials"`
		AssumedRoleUser struct {
			Arn string `xml:"Arn"`
		} `xml:"AssumedRoleUser"`
	} `xml:"AssumeRoleWithWebIdentityResult"`
}

func parseSTSCredentials(body []byte) (aws.Credentials, error) {
	var a stsAnswer
	if err := xml.Unmarshal(body, &a); err != nil {
		return aws.Credentials{}, errorf("sts AssumeRoleWithWebIdentity: decoding the answer: %w", err)
	}
	c := a.Result.Credentials
	switch {
	case c == nil:
		return aws.Credentials{}, errorf("sts AssumeRoleWithWebIdentity: the answer has no Credentials")
	case c.AccessKeyID == "" || c.SecretAccessKey == "":
		return aws.Credentials{}, errorf("sts AssumeRoleWithWebIdentity: the answer's Credentials lack AccessKeyId or SecretAccessKey")
	}
	expires, err := time.Parse(time.RFC3339, strings.TrimSpace(c.Expiration))
	if err != nil {
		return aws.Credentials{}, errorf("sts AssumeRoleWithWebIdentity: Expiration %q: %w", c.Expiration, err)
	}
	return aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Source:          webIdentitySourceName,
		CanExpire:       true,
		Expires:         expires,
		AccountID:       accountOf(a.Result.AssumedRoleUser.Arn),
	}, nil
}

// accountOf is the account field of an ARN (arn:aws:sts::123456789012:...).
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// stsError is STS's documented error answer with its HTTP status.
type stsError struct {
	Role      string // the role asked for
	Status    int
	Type      string // Sender or Receiver
	Code      string
	Message   string
	RequestID string
}

func (e *stsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "aws credentials: sts AssumeRoleWithWebIdentity %s: HTTP %d", e.Role, e.Status)
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Type != "" {
		b.WriteString(" (" + e.Type + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	return b.String()
}

func (e *stsError) retryable() bool {
	_, throttled := retry.DefaultThrottleErrorCodes[e.Code]
	_, transient := retry.DefaultRetryableErrorCodes[e.Code]
	_, failed := retry.DefaultRetryableHTTPStatusCodes[e.Status]
	return stsRetriedCodes[e.Code] || throttled || transient || failed
}

// stsErrorAnswer is ErrorResponse/Error/{Type,Code,Message}. The model's
// exceptions name the member "message", and the SDK reads either case.
type stsErrorAnswer struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type         string `xml:"Type"`
		Code         string `xml:"Code"`
		Message      string `xml:"Message"`
		LowerMessage string `xml:"message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// parseSTSError decodes an error answer; one that is not STS's XML (a
// proxy's page) is kept as a short quote.
func parseSTSError(status int, body []byte) *stsError {
	var a stsErrorAnswer
	if err := xml.Unmarshal(body, &a); err != nil || a.Error.Code == "" {
		return &stsError{Status: status, Message: quote(body)}
	}
	msg := a.Error.Message
	if msg == "" {
		msg = a.Error.LowerMessage
	}
	return &stsError{Status: status, Type: a.Error.Type, Code: a.Error.Code, Message: msg, RequestID: a.RequestID}
}

// quote is the start of a body, for an error message.
func quote(b []byte) string {
	const limit = 200
	s := strings.TrimSpace(string(b))
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return strconv.Quote(s)
}

// sdkBackoff is the SDK standard retryer's wait before attempt n+1: up to
// 2^n seconds at random, at most 20 s.
func sdkBackoff(n int) time.Duration {
	d, err := retry.NewExponentialJitterBackoff(20*time.Second).BackoffDelay(n, nil)
	if err != nil { // no randomness to be had: the longest wait
		return 20 * time.Second
	}
	return d
}
