package awscreds

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Access keys each fake hands out, so a test can tell which source
// answered.
const (
	keySTS       = "ASIASTSFAKE"
	keyContainer = "ASIACONTAINERFAKE"
	keyIMDS      = "ASIAIMDSFAKE"
)

// stsExpiration is the Expiration of the fake's credentials.
var stsExpiration = time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)

// stsAnswerXML is an AssumeRoleWithWebIdentity answer in the documented
// shape (API reference, "Response Elements" and the sample response):
// every element of the result, the namespace and ResponseMetadata.
const stsAnswerXML = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:bots:meeboter</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::210987654321:assumed-role/meeboter-daemon/%[1]s</Arn>
      <AssumedRoleId>AROAFAKEROLEID:%[1]s</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>FwoGZXIvYXdzEFAKESESSIONTOKEN</SessionToken>
      <SecretAccessKey>fakeSecretFromSTS</SecretAccessKey>
      <Expiration>%[2]s</Expiration>
      <AccessKeyId>%[3]s</AccessKeyId>
    </Credentials>
    <SourceIdentity>meeboter</SourceIdentity>
    <Provider>arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/FAKE</Provider>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`

// stsErrorXML is STS's documented error answer.
const stsErrorXML = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>%s</Type>
    <Code>%s</Code>
    <Message>%s</Message>
  </Error>
  <RequestId>4e1f2a3b-0000-4000-8000-fakeerror001</RequestId>
</ErrorResponse>
`

// stsFailure is one error answer the fake gives before it succeeds.
type stsFailure struct {
	status          int
	typ, code, text string
}

// fakeAWS serves STS (POST /), a container credentials endpoint (GET
// /creds) and the instance metadata service (/latest/...). It checks what
// the real services require and records what it was sent.
type fakeAWS struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	stsForms    []url.Values
	stsHeaders  []http.Header
	stsFailures []stsFailure // answered first, in order
	authHeaders []string     // Authorization of each container request
	wantAuth    string       // "" accepts any
	expiration  time.Time    // of STS's credentials; zero means stsExpiration
	noRole      bool         // the instance has no role
}

func newFakeAWS(t *testing.T) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAWS) URL() string { return f.srv.URL }

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		f.sts(w, r)
	case r.URL.Path == "/creds":
		f.container(w, r)
	case strings.HasPrefix(r.URL.Path, "/latest/"):
		f.imds(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeAWS) sts(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		http.Error(w, "bad content type "+ct, http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form := r.PostForm
	f.mu.Lock()
	f.stsForms = append(f.stsForms, form)
	f.stsHeaders = append(f.stsHeaders, r.Header.Clone())
	var fail *stsFailure
	if len(f.stsFailures) > 0 {
		fail = &f.stsFailures[0]
		f.stsFailures = f.stsFailures[1:]
	}
	f.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml")
	for _, k := range []string{"Action", "Version", "RoleArn", "RoleSessionName", "WebIdentityToken"} {
		if form.Get(k) == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, stsErrorXML, "Sender", "MissingParameter", "missing "+k)
			return
		}
	}
	if form.Get("Action") != "AssumeRoleWithWebIdentity" || form.Get("Version") != "2011-06-15" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, stsErrorXML, "Sender", "InvalidAction", "unknown action "+form.Get("Action"))
		return
	}
	if fail != nil {
		w.WriteHeader(fail.status)
		fmt.Fprintf(w, stsErrorXML, fail.typ, fail.code, fail.text)
		return
	}
	f.mu.Lock()
	exp := f.expiration
	f.mu.Unlock()
	if exp.IsZero() {
		exp = stsExpiration
	}
	fmt.Fprintf(w, stsAnswerXML, form.Get("RoleSessionName"), exp.Format(time.RFC3339), keySTS)
}

func (f *fakeAWS) container(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	f.mu.Lock()
	f.authHeaders = append(f.authHeaders, auth)
	want := f.wantAuth
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if want != "" && auth != want {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"code": "Unauthorized", "message": "bad token"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{
		"AccessKeyId":     keyContainer,
		"SecretAccessKey": "fakeSecretFromContainer",
		"Token":           "fakeContainerToken",
		"Expiration":      stsExpiration.Format(time.RFC3339),
	})
}

// imds serves IMDSv2: a session token, then the role's name and its
// credentials, each asked with the token.
func (f *fakeAWS) imds(w http.ResponseWriter, r *http.Request) {
	const token = "fake-imds-token"
	if r.URL.Path == "/latest/api/token" && r.Method == http.MethodPut {
		w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
		_, _ = w.Write([]byte(token))
		return
	}
	if r.Header.Get("X-Aws-Ec2-Metadata-Token") != token {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	noRole := f.noRole
	f.mu.Unlock()
	switch {
	case noRole:
		http.NotFound(w, r)
	case r.URL.Path == "/latest/meta-data/iam/security-credentials/":
		_, _ = w.Write([]byte("meeboter-instance\n"))
	case r.URL.Path == "/latest/meta-data/iam/security-credentials/meeboter-instance":
		_ = json.NewEncoder(w).Encode(map[string]string{
			"Code":            "Success",
			"LastUpdated":     time.Now().UTC().Format(time.RFC3339),
			"Type":            "AWS-HMAC",
			"AccessKeyId":     keyIMDS,
			"SecretAccessKey": "fakeSecretFromIMDS",
			"Token":           "fakeIMDSToken",
			"Expiration":      stsExpiration.Format(time.RFC3339),
		})
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeAWS) forms() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.stsForms...)
}

func (f *fakeAWS) auths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.authHeaders...)
}

func (f *fakeAWS) headers() []http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]http.Header(nil), f.stsHeaders...)
}

// fail queues error answers for the next STS calls.
func (f *fakeAWS) fail(failures ...stsFailure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stsFailures = append(f.stsFailures, failures...)
}
