package awscreds

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// newContainer builds the container source from env, against the fake.
func newContainer(t *testing.T, env map[string]string) aws.CredentialsProvider {
	t.Helper()
	client, _ := httpClient(nil)
	p, err := container(&settings{getenv: func(k string) string { return env[k] }, client: client})
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		t.Fatal("container source not configured")
	}
	return p
}

func TestContainerCredentials(t *testing.T) {
	f := newFakeAWS(t)
	f.wantAuth = "pod-identity-token"
	p := newContainer(t, map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": f.URL() + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "pod-identity-token",
	})
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := aws.Credentials{AccessKeyID: keyContainer, SecretAccessKey: "fakeSecretFromContainer",
		SessionToken: "fakeContainerToken", Source: "CredentialsEndpointProvider", CanExpire: true, Expires: stsExpiration}
	if c != want {
		t.Errorf("credentials\n got %+v\nwant %+v", c, want)
	}
	if got := f.auths(); len(got) != 1 || got[0] != "pod-identity-token" {
		t.Errorf("Authorization headers sent: %q, want [pod-identity-token]", got)
	}
}

// TestContainerTokenFile: the token file wins over the variable and is
// read on every fetch, since the agent rotates it.
func TestContainerTokenFile(t *testing.T) {
	f := newFakeAWS(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeFile(t, tokenFile, "token-one\n")
	p := newContainer(t, map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     f.URL() + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "from-the-variable",
	})
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	writeFile(t, tokenFile, "token-two")
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.auths(); len(got) != 2 || got[0] != "token-one" || got[1] != "token-two" {
		t.Errorf("Authorization headers sent: %q, want [token-one token-two]", got)
	}

	f.wantAuth = "token-two"
	writeFile(t, tokenFile, "stale")
	if _, err := p.Retrieve(context.Background()); err == nil {
		t.Error("a token the endpoint refuses gave credentials")
	}
	p = newContainer(t, map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     f.URL() + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile + ".missing",
	})
	if _, err := p.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
		t.Errorf("missing token file: %v, want an error naming the variable", err)
	}
}

// TestContainerRelativeURI: the ECS agent's path wins over FULL_URI,
// which is then not even checked, as in the SDK.
func TestContainerRelativeURI(t *testing.T) {
	f := newFakeAWS(t)
	saved := ecsContainerEndpoint
	ecsContainerEndpoint = f.URL()
	defer func() { ecsContainerEndpoint = saved }()
	p := newContainer(t, map[string]string{
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "http://10.9.9.9/elsewhere",
	})
	c, err := p.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != keyContainer {
		t.Fatalf("Retrieve: %+v, %v", c, err)
	}
	if got := f.auths(); len(got) != 1 || got[0] != "" {
		t.Errorf("Authorization headers sent: %q, want one empty", got)
	}
}

// TestContainerHostNames: a plain-http FULL_URI host given by name is
// resolved on each fetch, not in New, and refused unless every address
// is loopback or an agent's.
func TestContainerHostNames(t *testing.T) {
	f := newFakeAWS(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(f.URL(), "http://"))
	saved := lookupHost
	defer func() { lookupHost = saved }()
	answers := map[string][]string{
		"localhost":      {"127.0.0.1", "::1"},
		"creds.example":  {"127.0.0.1", "93.184.216.34"},
		"agent.internal": {"169.254.170.23"},
	}
	var lookups []string
	lookupHost = func(_ context.Context, host string) ([]string, error) {
		lookups = append(lookups, host)
		if a, ok := answers[host]; ok {
			return a, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}

	p := newContainer(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost:" + port + "/creds"})
	if len(lookups) != 0 {
		t.Fatalf("New looked up %v; it must make no network call", lookups)
	}
	if c, err := p.Retrieve(context.Background()); err != nil || c.AccessKeyID != keyContainer {
		t.Errorf("localhost: %+v, %v", c, err)
	}
	for host, want := range map[string]string{"creds.example": "93.184.216.34", "nowhere.example": "no such host"} {
		p := newContainer(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://" + host + ":" + port + "/creds"})
		_, err := p.Retrieve(context.Background())
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "AWS_CONTAINER_CREDENTIALS_FULL_URI") {
			t.Errorf("%s: %v, want an error naming the variable and %q", host, err, want)
		}
	}
	if n := len(f.auths()); n != 1 {
		t.Errorf("%d requests reached the endpoint, want only localhost's", n)
	}
	// https goes anywhere, and is not looked up first.
	lookups = nil
	if _, err := checkFullURI("https://creds.example/creds"); err != nil || len(lookups) != 0 {
		t.Errorf("https FULL_URI: %v, lookups %v", err, lookups)
	}
}

func TestAllowedIP(t *testing.T) {
	for ip, want := range map[string]bool{
		"127.0.0.1": true, "127.9.9.9": true, "::1": true,
		"169.254.170.2": true, "169.254.170.23": true, "fd00:ec2::23": true,
		"169.254.169.254": false, "10.0.0.1": false, "fd00:ec2::254": false, "::ffff:169.254.170.2": true,
	} {
		if got := allowedIP(net.ParseIP(ip)); got != want {
			t.Errorf("allowedIP(%s) = %v, want %v", ip, got, want)
		}
	}
}

// TestContainerExpiryWindow: the chain refreshes container credentials
// five minutes early, as the SDK does.
func TestContainerExpiryWindow(t *testing.T) {
	for _, src := range chain {
		env := vars("AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1/creds")
		p, err := src.resolve(&settings{getenv: func(k string) string { return env[k] }})
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			continue
		}
		if src.expiryWindow != 5*time.Minute {
			t.Errorf("the container source refreshes %v early, want 5m", src.expiryWindow)
		}
		if _, ok := p.(*hostChecked); ok {
			t.Error("an IP address literal is checked again on each fetch")
		}
		return
	}
	t.Fatal("no source answered")
}
