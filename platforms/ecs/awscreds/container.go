package awscreds

import (
	"context"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// ecsContainerEndpoint is where an ECS task's agent serves the task
// role's credentials; AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on
// it. A variable so that tests can serve it.
var ecsContainerEndpoint = "http://169.254.170.2"

// Addresses of the ECS agent and of the EKS Pod Identity agent, the only
// hosts besides loopback that a plain-http FULL_URI may name, as in the
// SDK: the authorization token must not cross a network in the clear.
var (
	ecsContainerIPv4 = net.IPv4(169, 254, 170, 2)
	eksContainerIPv4 = net.IPv4(169, 254, 170, 23)
	eksContainerIPv6 = net.ParseIP("fd00:ec2::23")
)

// lookupHost resolves a FULL_URI host name; a variable so that tests need
// no DNS.
var lookupHost = net.DefaultResolver.LookupHost

// container is the fourth source: the credentials endpoint of an ECS task
// role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) or of EKS Pod Identity and
// other agents (AWS_CONTAINER_CREDENTIALS_FULL_URI), with the
// Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read on
// every fetch since the agent rotates it, else from
// AWS_CONTAINER_AUTHORIZATION_TOKEN. endpointcreds speaks the endpoint's
// JSON and retries as the SDK does.
func container(s *settings) (aws.CredentialsProvider, error) {
	endpoint, checkHost := "", ""
	if rel := s.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint = ecsContainerEndpoint + rel
	} else if full := s.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full != "" {
		var err error
		if checkHost, err = checkFullURI(full); err != nil {
			return nil, err
		}
		endpoint = full
	} else {
		return nil, nil
	}
	tokenFile := s.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	token := s.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	p := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		o.HTTPClient = s.client
		o.AuthorizationToken = token
		if tokenFile != "" {
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
				}
				// A trailing newline, which editors and echo add, is not
				// part of the token and the provider refuses it.
				return strings.TrimRight(string(b), "\r\n"), nil
			})
		}
		o.CredentialSources = []aws.CredentialSource{aws.CredentialSourceHTTP}
	})
	if checkHost == "" {
		return p, nil
	}
	return &hostChecked{Provider: p, host: checkHost}, nil
}

// checkFullURI applies the SDK's rule to AWS_CONTAINER_CREDENTIALS_FULL_URI:
// https to any host, plain http only to loopback or the ECS and EKS agents.
// A host given by name is returned to be resolved on each fetch, since New
// makes no network call.
func checkFullURI(full string) (resolveLater string, err error) {
	u, err := url.Parse(full)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: %q is not an http(s) URL", full)
	}
	if u.Scheme == "https" {
		return "", nil
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil {
		if !allowedIP(ip) {
			return "", errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: %q: plain http is only allowed to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23; use https", full)
		}
		return "", nil
	}
	return u.Hostname(), nil
}

func allowedIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.Equal(ecsContainerIPv4) || ip.Equal(eksContainerIPv4) || ip.Equal(eksContainerIPv6)
}

// hostChecked resolves a plain-http FULL_URI's host before each fetch and
// refuses it unless every address is allowed.
type hostChecked struct {
	*endpointcreds.Provider
	host string
}

// Retrieve checks the host, then fetches.
func (h *hostChecked) Retrieve(ctx context.Context) (aws.Credentials, error) {
	addrs, err := lookupHost(ctx, h.host)
	if err != nil {
		return aws.Credentials{Source: endpointcreds.ProviderName}, errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: resolving %s: %w", h.host, err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !allowedIP(ip) {
			return aws.Credentials{Source: endpointcreds.ProviderName}, errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: %s is %s: plain http is only allowed to loopback or the ECS and EKS agents; use https", h.host, a)
		}
	}
	if len(addrs) == 0 {
		return aws.Credentials{Source: endpointcreds.ProviderName}, errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: %s has no address", h.host)
	}
	return h.Provider.Retrieve(ctx)
}
