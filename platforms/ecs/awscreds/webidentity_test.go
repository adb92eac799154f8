package awscreds

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const testRole = "arn:aws:iam::210987654321:role/meeboter-daemon"

// newWebIdentity builds the web identity source against the fake, with a
// token file holding token and no wait between attempts.
func newWebIdentity(t *testing.T, f *fakeAWS, token string, extra map[string]string) (*webIdentityProvider, string) {
	t.Helper()
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeFile(t, tokenFile, token)
	env := map[string]string{
		"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
		"AWS_ROLE_ARN":                testRole,
		"AWS_ENDPOINT_URL_STS":        f.URL(),
	}
	for k, v := range extra {
		env[k] = v
	}
	client, _ := httpClient(nil)
	p, err := webIdentity(&settings{getenv: func(k string) string { return env[k] }, client: client})
	if err != nil {
		t.Fatal(err)
	}
	wp := p.(*webIdentityProvider)
	wp.backoff = func(int) time.Duration { return 0 }
	return wp, tokenFile
}

func TestWebIdentityRequestAndAnswer(t *testing.T) {
	f := newFakeAWS(t)
	p, _ := newWebIdentity(t, f, "header.payload.signature\n", map[string]string{"AWS_ROLE_SESSION_NAME": "bots"})
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := aws.Credentials{
		AccessKeyID: keySTS, SecretAccessKey: "fakeSecretFromSTS", SessionToken: "FwoGZXIvYXdzEFAKESESSIONTOKEN",
		Source: "WebIdentityCredentials", CanExpire: true, Expires: stsExpiration, AccountID: "210987654321",
	}
	if c != want {
		t.Errorf("credentials\n got %+v\nwant %+v", c, want)
	}

	forms := f.forms()
	if len(forms) != 1 {
		t.Fatalf("%d STS calls, want 1", len(forms))
	}
	for k, v := range map[string]string{
		"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": testRole,
		"RoleSessionName": "bots", "WebIdentityToken": "header.payload.signature",
	} {
		if got := forms[0].Get(k); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}
	if len(forms[0]) != 5 {
		t.Errorf("form has %d fields, want the 5 documented ones: %v", len(forms[0]), forms[0])
	}
	h := f.headers()[0]
	for _, k := range []string{"Authorization", "X-Amz-Security-Token", "X-Amz-Date"} {
		if h.Get(k) != "" {
			t.Errorf("the call is signed (%s: %q); AssumeRoleWithWebIdentity takes no credentials", k, h.Get(k))
		}
	}
}

func TestWebIdentityRereadsTheTokenFile(t *testing.T) {
	f := newFakeAWS(t)
	p, tokenFile := newWebIdentity(t, f, "first-token", nil)
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	writeFile(t, tokenFile, "second-token")
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	forms := f.forms()
	if len(forms) != 2 || forms[0].Get("WebIdentityToken") != "first-token" || forms[1].Get("WebIdentityToken") != "second-token" {
		t.Errorf("tokens sent: %v, want first-token then second-token", forms)
	}
}

func TestWebIdentityDefaultSessionName(t *testing.T) {
	f := newFakeAWS(t)
	p, _ := newWebIdentity(t, f, "jwt", nil)
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	name := f.forms()[0].Get("RoleSessionName")
	if !regexp.MustCompile(`^meeboter-[0-9]{19}$`).MatchString(name) {
		t.Errorf("RoleSessionName = %q, want meeboter-<unix nanos>", name)
	}
}

// TestWebIdentityCacheRefreshes: credentials that have expired are
// fetched again; the cache relies on CanExpire and Expires for that.
func TestWebIdentityCacheRefreshes(t *testing.T) {
	f := newFakeAWS(t)
	f.expiration = time.Now().Add(-time.Minute)
	home := t.TempDir()
	writeFile(t, filepath.Join(home, "token"), "jwt")
	env := vars(strings.NewReplacer("{srv}", f.URL(), "{home}", home).Replace(webIdentEnv))
	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := p.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.forms()); n != 2 {
		t.Errorf("%d STS calls for two Retrieves of expired credentials, want 2", n)
	}
}

func TestWebIdentityErrorAnswer(t *testing.T) {
	f := newFakeAWS(t)
	f.fail(stsFailure{403, "Sender", "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"})
	p, _ := newWebIdentity(t, f, "jwt", nil)
	_, err := p.Retrieve(context.Background())
	var se *stsError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want an *stsError", err, err)
	}
	want := stsError{Role: testRole, Status: 403, Type: "Sender", Code: "AccessDenied",
		Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity", RequestID: "4e1f2a3b-0000-4000-8000-fakeerror001"}
	if *se != want {
		t.Errorf("error\n got %+v\nwant %+v", *se, want)
	}
	for _, w := range []string{"HTTP 403", "AccessDenied", "Sender", "Not authorized", testRole, "request id"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if n := len(f.forms()); n != 1 {
		t.Errorf("AccessDenied was tried %d times, want once", n)
	}
}

func TestWebIdentityRetries(t *testing.T) {
	cases := []struct {
		name      string
		failures  []stsFailure
		wantCalls int
		wantErr   string
	}{
		{"a 503 then success", []stsFailure{{503, "Receiver", "ServiceUnavailable", "try later"}}, 2, ""},
		{"throttled twice then success", []stsFailure{{400, "Sender", "Throttling", "Rate exceeded"}, {400, "Sender", "Throttling", "Rate exceeded"}}, 3, ""},
		{"an invalid token three times", []stsFailure{
			{400, "Sender", "InvalidIdentityToken", "not yet valid"},
			{400, "Sender", "InvalidIdentityToken", "not yet valid"},
			{400, "Sender", "InvalidIdentityToken", "not yet valid"},
		}, 3, "InvalidIdentityToken"},
		{"an expired token is not retried", []stsFailure{{400, "Sender", "ExpiredTokenException", "expired"}}, 1, "ExpiredTokenException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAWS(t)
			f.fail(tc.failures...)
			p, _ := newWebIdentity(t, f, "jwt", nil)
			c, err := p.Retrieve(context.Background())
			if n := len(f.forms()); n != tc.wantCalls {
				t.Errorf("%d calls, want %d", n, tc.wantCalls)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Retrieve: %v", err)
			case tc.wantErr == "" && c.AccessKeyID != keySTS:
				t.Errorf("AccessKeyID = %q, want %q", c.AccessKeyID, keySTS)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Retrieve error %v, want one with %q", err, tc.wantErr)
			}
		})
	}
}

func TestWebIdentityRetryStopsWithTheContext(t *testing.T) {
	f := newFakeAWS(t)
	f.fail(stsFailure{503, "Receiver", "ServiceUnavailable", "down"})
	p, _ := newWebIdentity(t, f, "jwt", nil)
	p.backoff = func(int) time.Duration { return time.Hour }
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := p.Retrieve(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "ServiceUnavailable") {
		t.Errorf("error %v, want the deadline and the last failure", err)
	}
}

func TestWebIdentityTokenFileProblems(t *testing.T) {
	f := newFakeAWS(t)
	p, tokenFile := newWebIdentity(t, f, "  \n", nil)
	if _, err := p.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty token file: %v, want an error saying so", err)
	}
	p.tokenFile = tokenFile + ".missing"
	_, err := p.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "AWS_WEB_IDENTITY_TOKEN_FILE") || !strings.Contains(err.Error(), p.tokenFile) {
		t.Errorf("missing token file: %v, want an error naming the variable and the file", err)
	}
	if n := len(f.forms()); n != 0 {
		t.Errorf("%d STS calls without a token, want none", n)
	}
}

func TestSTSEndpoint(t *testing.T) {
	cases := []struct {
		region string
		env    map[string]string
		want   string
		err    string
	}{
		{region: "eu-west-1", want: "https://sts.eu-west-1.amazonaws.com/"},
		{region: "", want: "https://sts.amazonaws.com/"},
		{region: "aws-global", want: "https://sts.amazonaws.com/"},
		{region: "cn-north-1", want: "https://sts.cn-north-1.amazonaws.com.cn/"},
		{region: "eu-west-1", env: vars("AWS_ENDPOINT_URL=http://localhost:4566"), want: "http://localhost:4566"},
		{region: "eu-west-1", env: vars("AWS_ENDPOINT_URL=http://general AWS_ENDPOINT_URL_STS=https://sts.vpce.example"), want: "https://sts.vpce.example"},
		{region: "eu-west-1", env: vars("AWS_ENDPOINT_URL_STS=https://sts.vpce.example AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=TRUE"), want: "https://sts.eu-west-1.amazonaws.com/"},
		{region: "eu-west-1", env: vars("AWS_ENDPOINT_URL=localhost:4566"), err: "AWS_ENDPOINT_URL:"},
		{region: "evil.example/x?", err: "not an AWS region"},
		{region: "EU-WEST-1", err: "not an AWS region"},
	}
	for _, tc := range cases {
		got, err := stsEndpoint(func(k string) string { return tc.env[k] }, tc.region)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("stsEndpoint(%q, %v) = %q, %v; want an error with %q", tc.region, tc.env, got, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("stsEndpoint(%q, %v) = %q, %v; want %q", tc.region, tc.env, got, err, tc.want)
		}
	}
}

func TestParseSTSAnswerProblems(t *testing.T) {
	cases := map[string]string{
		"no Credentials":   `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult/></AssumeRoleWithWebIdentityResponse>`,
		"AccessKeyId":      `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><SecretAccessKey>s</SecretAccessKey><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
		"Expiration":       `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>a</AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
		"decoding":         `<html>proxy</html>`,
		"decoding the ans": `not xml at all`,
	}
	for want, body := range cases {
		if _, err := parseSTSCredentials([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse %s: %v, want an error with %q", body, err, want)
		}
	}
	// Fractional seconds are RFC 3339 too.
	c, err := parseSTSCredentials([]byte(`<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>` +
		`<AccessKeyId>a</AccessKeyId><SecretAccessKey>s</SecretAccessKey><Expiration>2099-01-01T00:00:00.123Z</Expiration>` +
		`</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`))
	if err != nil || c.Expires.Nanosecond() != 123e6 {
		t.Errorf("fractional Expiration: %v, %v", c.Expires, err)
	}
}

func TestParseSTSErrorForms(t *testing.T) {
	lower := parseSTSError(400, []byte(`<ErrorResponse><Error><Code>InvalidIdentityToken</Code><message>lower</message></Error></ErrorResponse>`))
	if lower.Code != "InvalidIdentityToken" || lower.Message != "lower" {
		t.Errorf("lower-case message member: %+v", lower)
	}
	html := parseSTSError(502, []byte("<html><body>Bad Gateway</body></html>"))
	if html.Code != "" || !strings.Contains(html.Message, "Bad Gateway") || !html.retryable() {
		t.Errorf("a proxy's page: %+v, want it quoted and retryable", html)
	}
	long := parseSTSError(500, []byte(strings.Repeat("x", 5000)))
	if len(long.Message) > 210 {
		t.Errorf("a long body is quoted whole (%d bytes)", len(long.Message))
	}
}
