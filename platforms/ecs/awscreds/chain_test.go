package awscreds

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// chainCase is one environment and set of files, and what the chain makes
// of them. In env values and file contents, {srv} is the fake AWS's URL
// and {home} the home directory.
type chainCase struct {
	name   string
	env    map[string]string
	files  map[string]string // path under {home} → content
	noRole bool              // the fake instance has no role

	wantKey, wantSource string // of the retrieved credentials
	wantNewErr          []string
	wantRetrieveErr     []string
}

const (
	envKeys      = "AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=envsecret"
	webIdentEnv  = "AWS_WEB_IDENTITY_TOKEN_FILE={home}/token AWS_ROLE_ARN=arn:aws:iam::210987654321:role/meeboter-daemon AWS_ENDPOINT_URL_STS={srv}"
	containerEnv = "AWS_CONTAINER_CREDENTIALS_FULL_URI={srv}/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=tok"
	defaultCreds = "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret\n"
	exportHint   = "credential_process = aws configure export-credentials --profile "
)

// vars parses "K=V K=V ..." lists, joined by spaces.
func vars(lists ...string) map[string]string {
	m := map[string]string{}
	for _, l := range lists {
		for _, kv := range strings.Fields(l) {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
	}
	return m
}

func TestChainChoice(t *testing.T) {
	cases := []chainCase{
		{name: "environment keys", env: vars(envKeys, "AWS_SESSION_TOKEN=envtoken"),
			wantKey: "AKIDENV", wantSource: "EnvConfigCredentials"},
		{name: "environment keys by their older names", env: vars("AWS_ACCESS_KEY=AKIDENV AWS_SECRET_KEY=s"),
			wantKey: "AKIDENV", wantSource: "EnvConfigCredentials"},
		{name: "environment wins over every other source",
			env:     vars(envKeys, webIdentEnv, containerEnv),
			files:   map[string]string{".aws/credentials": defaultCreds, "token": "jwt"},
			wantKey: "AKIDENV", wantSource: "EnvConfigCredentials"},
		{name: "web identity wins over the profile and the container",
			env:     vars(webIdentEnv, containerEnv),
			files:   map[string]string{".aws/credentials": defaultCreds, "token": "jwt"},
			wantKey: keySTS, wantSource: "WebIdentityCredentials"},
		{name: "default profile in the credentials file", files: map[string]string{".aws/credentials": defaultCreds},
			wantKey: "AKIDPROFILE", wantSource: "SharedConfigCredentials: {home}/.aws/credentials"},
		{name: "[default] in the config file",
			files:   map[string]string{".aws/config": "[default]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=s\n"},
			wantKey: "AKIDCONFIG", wantSource: "SharedConfigCredentials: {home}/.aws/config"},
		{name: "[profile default] replaces [default] in the config file",
			files: map[string]string{".aws/config": "[profile default]\naws_access_key_id=AKIDPREFIXED\naws_secret_access_key=s\n" +
				"[default]\naws_access_key_id=AKIDPLAIN\naws_secret_access_key=s\n"},
			wantKey: "AKIDPREFIXED"},
		{name: "AWS_PROFILE names a [profile x] of the config file", env: vars("AWS_PROFILE=dev"),
			files: map[string]string{
				".aws/config":      "[profile dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n",
				".aws/credentials": defaultCreds,
			},
			wantKey: "AKIDDEV"},
		{name: "AWS_DEFAULT_PROFILE", env: vars("AWS_DEFAULT_PROFILE=dev"),
			files:   map[string]string{".aws/credentials": defaultCreds + "[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"},
			wantKey: "AKIDDEV"},
		{name: "AWS_PROFILE wins over AWS_DEFAULT_PROFILE", env: vars("AWS_PROFILE=dev AWS_DEFAULT_PROFILE=other"),
			files: map[string]string{".aws/credentials": "[other]\naws_access_key_id=AKIDOTHER\naws_secret_access_key=s\n" +
				"[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"},
			wantKey: "AKIDDEV"},
		{name: "the credentials file wins over the config file", env: vars("AWS_PROFILE=dev"),
			files: map[string]string{
				".aws/config":      "[profile dev]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=s\n",
				".aws/credentials": "[dev]\naws_access_key_id=AKIDCREDS\naws_secret_access_key=s\n",
			},
			wantKey: "AKIDCREDS", wantSource: "SharedConfigCredentials: {home}/.aws/credentials"},
		{name: "a config section without the profile prefix is not a profile", env: vars("AWS_DEFAULT_PROFILE=dev"),
			files:   map[string]string{".aws/config": "[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"},
			wantKey: keyIMDS},
		{name: "variables move the files",
			env: vars("AWS_SHARED_CREDENTIALS_FILE={home}/elsewhere/creds AWS_CONFIG_FILE={home}/elsewhere/conf AWS_PROFILE=ci"),
			files: map[string]string{
				".aws/credentials": "[ci]\naws_access_key_id=AKIDHOME\naws_secret_access_key=s\n",
				"elsewhere/conf":   "[profile ci]\naws_access_key_id=AKIDMOVED\naws_secret_access_key=s\n",
			},
			wantKey: "AKIDMOVED", wantSource: "SharedConfigCredentials: {home}/elsewhere/conf"},
		{name: "comments, blanks, quotes and key case",
			files: map[string]string{".aws/credentials": "# keys\n  ; more\n[ default ] # the default\n" +
				"AWS_Access_Key_ID = \"AKIDQUOTED\" ; comment\n\taws_secret_access_key=s#not-a-comment\r\n"},
			wantKey: "AKIDQUOTED"},
		{name: "a profile without credentials falls through to the container",
			env:     vars(containerEnv),
			files:   map[string]string{".aws/config": "[default]\nregion = eu-west-1\n"},
			wantKey: keyContainer, wantSource: "CredentialsEndpointProvider"},
		{name: "profile keys win over the container", env: vars(containerEnv),
			files:   map[string]string{".aws/credentials": defaultCreds},
			wantKey: "AKIDPROFILE"},
		{name: "static keys win over SSO settings, as in the SDK",
			files: map[string]string{".aws/config": "[default]\nsso_start_url = https://example.awsapps.com/start\n" +
				"aws_access_key_id=AKIDSTATIC\naws_secret_access_key=s\n"},
			wantKey: "AKIDSTATIC"},
		{name: "container credentials", env: vars(containerEnv),
			wantKey: keyContainer, wantSource: "CredentialsEndpointProvider"},
		{name: "instance role", wantKey: keyIMDS, wantSource: "EC2RoleProvider"},
		{name: "no files and no AWS_PROFILE is not an error", env: vars("AWS_DEFAULT_PROFILE=nowhere"),
			wantKey: keyIMDS},
		{name: "nothing configured and metadata off", env: vars("AWS_EC2_METADATA_DISABLED=true"),
			wantRetrieveErr: []string{"no AWS credentials", "AWS_ACCESS_KEY_ID", "task or instance role", "AWS_EC2_METADATA_DISABLED=true"}},
		{name: "nothing configured and no instance role", noRole: true,
			wantRetrieveErr: []string{"no AWS credentials", "AWS_ACCESS_KEY_ID", "task or instance role", "EC2 instance metadata"}},

		// Configuration that New refuses.
		{name: "key without secret", env: vars("AWS_ACCESS_KEY_ID=AKID"),
			wantNewErr: []string{"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"}},
		{name: "secret without key", env: vars("AWS_SECRET_ACCESS_KEY=s"),
			wantNewErr: []string{"AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"}},
		{name: "older key name without secret", env: vars("AWS_ACCESS_KEY=AKID"),
			wantNewErr: []string{"AWS_ACCESS_KEY is set"}},
		{name: "AWS_PROFILE in neither file", env: vars("AWS_PROFILE=nope"),
			files:      map[string]string{".aws/credentials": defaultCreds},
			wantNewErr: []string{`AWS_PROFILE is "nope"`, "{home}/.aws/credentials", "{home}/.aws/config"}},
		{name: "AWS_PROFILE in neither file, even with keys in the environment", env: vars("AWS_PROFILE=nope", envKeys),
			wantNewErr: []string{`AWS_PROFILE is "nope"`}},
		{name: "the credentials file's [profile x] is not a profile", env: vars("AWS_PROFILE=dev"),
			files:      map[string]string{".aws/credentials": "[profile dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"},
			wantNewErr: []string{`AWS_PROFILE is "dev"`}},
		{name: "web identity without a role", env: vars("AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token"),
			wantNewErr: []string{"AWS_ROLE_ARN"}},
		{name: "profile keys half set", files: map[string]string{".aws/credentials": "[default]\naws_access_key_id=AKID\n"},
			wantNewErr: []string{`profile "default"`, "{home}/.aws/credentials", "aws_access_key_id but no aws_secret_access_key"}},
		{name: "profile keys half set in the config, whole in the credentials file",
			files: map[string]string{
				".aws/config":      "[default]\naws_secret_access_key=orphan\n",
				".aws/credentials": defaultCreds,
			},
			wantKey: "AKIDPROFILE"},
		{name: "unreadable config file", files: map[string]string{".aws/config/inside": ""},
			wantNewErr: []string{"AWS_CONFIG_FILE", "{home}/.aws/config"}},
		{name: "plain http FULL_URI to another host", env: vars("AWS_CONTAINER_CREDENTIALS_FULL_URI=http://10.1.2.3/creds"),
			wantNewErr: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "10.1.2.3", "https"}},
		{name: "FULL_URI that is not http", env: vars("AWS_CONTAINER_CREDENTIALS_FULL_URI=ftp://127.0.0.1/creds"),
			wantNewErr: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "not an http(s) URL"}},
		{name: "STS endpoint that is not a URL", env: vars(webIdentEnv, "AWS_ENDPOINT_URL_STS=sts.local"),
			wantNewErr: []string{"AWS_ENDPOINT_URL_STS", "sts.local"}},
		{name: "bad AWS_EC2_METADATA_V1_DISABLED", env: vars("AWS_EC2_METADATA_V1_DISABLED=yes"),
			wantNewErr: []string{"AWS_EC2_METADATA_V1_DISABLED", "yes"}},
		{name: "bad metadata endpoint mode", env: vars("AWS_EC2_METADATA_SERVICE_ENDPOINT= AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv5"),
			wantNewErr: []string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"}},
	}
	for _, key := range []string{"role_arn", "source_profile", "credential_source", "web_identity_token_file",
		"sso_session", "sso_start_url", "sso_account_id", "login_session"} {
		cases = append(cases, chainCase{
			name:       "profile using " + key,
			env:        vars("AWS_PROFILE=work"),
			files:      map[string]string{".aws/config": "[profile work]\n" + key + " = something\nregion = eu-west-1\n"},
			wantNewErr: []string{`profile "work"`, "{home}/.aws/config", "uses " + key, exportHint + "work --format process"},
		})
	}
	cases = append(cases,
		chainCase{name: "role_arn even with static keys, which the SDK would use to assume the role",
			files:      map[string]string{".aws/credentials": defaultCreds + "role_arn = arn:aws:iam::1:role/r\n"},
			wantNewErr: []string{`profile "default"`, "{home}/.aws/credentials", "uses role_arn", exportHint + "default"}},
		chainCase{name: "role_arn is not hidden by credential_process in the same profile",
			files:      map[string]string{".aws/config": "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_process = true\n"},
			wantNewErr: []string{"uses role_arn"}},
	)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runChainCase(t, tc) })
	}
}

func runChainCase(t *testing.T, tc chainCase) {
	f := newFakeAWS(t)
	f.noRole = tc.noRole
	home := t.TempDir()
	expand := strings.NewReplacer("{srv}", f.URL(), "{home}", home).Replace
	env := map[string]string{}
	if _, off := tc.env["AWS_EC2_METADATA_DISABLED"]; !off {
		env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = f.URL() // never the real one
	}
	for k, v := range tc.env {
		env[k] = expand(v)
	}
	for name, content := range tc.files {
		writeFile(t, filepath.Join(home, name), expand(content))
	}

	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: home, Region: "eu-west-1"})
	if len(tc.wantNewErr) > 0 {
		if err == nil {
			t.Fatalf("New: no error, want one containing %q", tc.wantNewErr)
		}
		t.Logf("New: %v", err)
		for _, w := range tc.wantNewErr {
			if !strings.Contains(err.Error(), expand(w)) {
				t.Errorf("New error %q\ndoes not contain %q", err, expand(w))
			}
		}
		return
	}
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, ok := p.(*aws.CredentialsCache); !ok {
		t.Errorf("New returned %T, want *aws.CredentialsCache", p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	creds, err := p.Retrieve(ctx)
	if len(tc.wantRetrieveErr) > 0 {
		if err == nil {
			t.Fatalf("Retrieve: got %q from %q, want an error", creds.AccessKeyID, creds.Source)
		}
		t.Logf("Retrieve: %v", err)
		for _, w := range tc.wantRetrieveErr {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Retrieve error %q\ndoes not contain %q", err, w)
			}
		}
		return
	}
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	if creds.AccessKeyID != tc.wantKey {
		t.Errorf("AccessKeyID = %q (source %q), want %q", creds.AccessKeyID, creds.Source, tc.wantKey)
	}
	if tc.wantSource != "" && creds.Source != expand(tc.wantSource) {
		t.Errorf("Source = %q, want %q", creds.Source, expand(tc.wantSource))
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEnvCredentialsFields(t *testing.T) {
	env := vars(envKeys, "AWS_SESSION_TOKEN=envtoken AWS_ACCOUNT_ID=210987654321 AWS_EC2_METADATA_DISABLED=true")
	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := aws.Credentials{AccessKeyID: "AKIDENV", SecretAccessKey: "envsecret", SessionToken: "envtoken",
		Source: "EnvConfigCredentials", AccountID: "210987654321"}
	if c != want {
		t.Errorf("credentials = %+v, want %+v", c, want)
	}
}

func TestSharedSessionTokenTravelsWithTheKeys(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".aws/config"), "[default]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=cs\naws_session_token=ctok\n")
	writeFile(t, filepath.Join(home, ".aws/credentials"), "[default]\naws_session_token=orphan\n")
	env := vars("AWS_EC2_METADATA_DISABLED=true")
	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A token alone in the credentials file does not replace the config
	// file's, which belongs to its keys.
	if c.AccessKeyID != "AKIDCONFIG" || c.SessionToken != "ctok" {
		t.Errorf("got key %q token %q, want AKIDCONFIG ctok", c.AccessKeyID, c.SessionToken)
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "Getenv") {
		t.Errorf("New without Getenv: %v, want an error naming Getenv", err)
	}
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	env := func(string) string { return "" }
	if _, err := New(Options{Getenv: env, HTTPClient: insecure, Home: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Errorf("New with an insecure client: %v, want an error about TLS", err)
	}
	c, err := httpClient(nil)
	if err != nil || c.Timeout != defaultTimeout || c.Transport != nil {
		t.Errorf("default client: %+v, %v; want a %v timeout on the default transport", c, err, defaultTimeout)
	}
}

// TestNewMakesNoCall: New with every network source configured sends
// nothing; the first Retrieve does, and later ones use the cache.
func TestNewMakesNoCall(t *testing.T) {
	f := newFakeAWS(t)
	home := t.TempDir()
	writeFile(t, filepath.Join(home, "token"), "jwt")
	env := vars(strings.NewReplacer("{srv}", f.URL(), "{home}", home).Replace(webIdentEnv))
	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.forms()); n != 0 {
		t.Fatalf("New made %d STS calls, want none", n)
	}
	for range 3 {
		if _, err := p.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.forms()); n != 1 {
		t.Errorf("three Retrieves made %d STS calls, want 1 (the rest from the cache)", n)
	}
}
