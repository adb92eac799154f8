package awscreds

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// Keys of a profile that this package reads.
const (
	keyAccessKeyID       = "aws_access_key_id"
	keySecretAccessKey   = "aws_secret_access_key"
	keySessionToken      = "aws_session_token"
	keyAccountID         = "aws_account_id"
	keyCredentialProcess = "credential_process"
)

// Keys that make the SDK assume a role before anything else in the
// profile is used.
var roleKeys = []string{"role_arn", "source_profile"}

// Keys of sources that the SDK tries after static keys and before
// credential_process, and that need the STS, SSO, SSO-OIDC or sign-in
// clients this package does without.
var unsupportedKeys = []string{
	"credential_source", "web_identity_token_file",
	"sso_session", "sso_start_url", "sso_account_id", "sso_role_name", "sso_region",
	"login_session",
}

// profile is one profile of the shared files: the config file's section
// with the credentials file's laid over it, as the SDK merges them.
type profile struct {
	name   string
	values map[string]string
	file   map[string]string // the file each key was read from
}

// loadProfile reads the profile AWS_PROFILE names (else
// AWS_DEFAULT_PROFILE, else "default") from AWS_SHARED_CREDENTIALS_FILE
// (default ~/.aws/credentials, section [name]) and AWS_CONFIG_FILE
// (default ~/.aws/config, section [profile name], or [default]).
//
// A missing file is an empty one. A profile in neither file is nil, and an
// error only when AWS_PROFILE named it: the SDK, too, fails then and
// ignores a missing default profile. Like the SDK it reads the files even
// when the environment holds keys, so a wrong AWS_PROFILE is not hidden.
func loadProfile(getenv func(string) string, home string) (*profile, error) {
	name, _ := firstSet(getenv, "AWS_PROFILE", "AWS_DEFAULT_PROFILE")
	if name == "" {
		name = "default"
	}
	credPath := sharedPath(getenv, "AWS_SHARED_CREDENTIALS_FILE", home, "credentials")
	cfgPath := sharedPath(getenv, "AWS_CONFIG_FILE", home, "config")
	cred, err := readINI(credPath, "AWS_SHARED_CREDENTIALS_FILE")
	if err != nil {
		return nil, err
	}
	cfg, err := readINI(cfgPath, "AWS_CONFIG_FILE")
	if err != nil {
		return nil, err
	}
	credSec := credentialsSection(cred, name)
	cfgSec := configSection(cfg, name)
	if credSec == nil && cfgSec == nil {
		if getenv("AWS_PROFILE") != "" {
			return nil, errorf("AWS_PROFILE is %q, but neither %s ([%s]) nor %s ([profile %s]) has that profile: fix AWS_PROFILE or add the profile",
				name, show(credPath), name, show(cfgPath), name)
		}
		return nil, nil
	}

	// Partial keys are an error in the SDK too; it reports the credentials
	// file's section when there is one, else the config file's.
	check, checkPath := credSec, credPath
	if check == nil {
		check, checkPath = cfgSec, cfgPath
	}
	_, hasID := check[keyAccessKeyID]
	_, hasSecret := check[keySecretAccessKey]
	if hasID != hasSecret {
		have, lack := keyAccessKeyID, keySecretAccessKey
		if hasSecret {
			have, lack = lack, have
		}
		return nil, errorf("profile %q in %s has %s but no %s: set both, or neither", name, checkPath, have, lack)
	}

	p := &profile{name: name, values: map[string]string{}, file: map[string]string{}}
	for k, v := range cfgSec {
		p.values[k], p.file[k] = v, cfgPath
	}
	_, credID := credSec[keyAccessKeyID]
	_, credSecret := credSec[keySecretAccessKey]
	for k, v := range credSec {
		switch k {
		case keyAccessKeyID, keySecretAccessKey, keySessionToken:
			// The keys move as a pair, with the token only alongside them.
			if !credID || !credSecret {
				continue
			}
		}
		p.values[k], p.file[k] = v, credPath
	}
	return p, nil
}

// sharedPath is the file a variable names, else ~/.aws/<base>; "" when
// there is neither a variable nor a home.
func sharedPath(getenv func(string) string, variable, home, base string) string {
	if v := getenv(variable); v != "" {
		return v
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".aws", base)
}

// readINI parses a file; a missing one (or none at all) has no sections.
// One that exists but cannot be read is an error, where the SDK would
// skip it and silently use the next source.
func readINI(path, variable string) (iniSections, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errorf("%s: %w", variable, err)
	}
	return parseINI(string(data)), nil
}

// credentialsSection is [name]; the SDK drops sections named "profile x"
// from the credentials file.
func credentialsSection(s iniSections, name string) map[string]string {
	if strings.HasPrefix(name, "profile ") {
		return nil
	}
	return s[name]
}

// configSection is [profile name]; the default profile may also be
// [default], which [profile default] replaces.
func configSection(s iniSections, name string) map[string]string {
	if sec, ok := s["profile "+name]; ok {
		return sec
	}
	if name == "default" {
		return s[name]
	}
	return nil
}

// show names a file in a message even when there is none.
func show(path string) string {
	if path == "" {
		return "(no file: no home directory)"
	}
	return path
}

// sharedFiles is the third source: the profile's static keys, else its
// credential_process, in the SDK's order. Profiles that assume a role or
// use SSO or "aws login" fail here, rather than fall through to a task or
// instance role the user did not mean.
func sharedFiles(s *settings) (aws.CredentialsProvider, error) {
	p := s.profile
	if p == nil {
		return nil, nil
	}
	if key := p.first(roleKeys); key != "" {
		return nil, p.unsupported(key)
	}
	if id, secret := p.values[keyAccessKeyID], p.values[keySecretAccessKey]; id != "" && secret != "" {
		sp := credentials.NewStaticCredentialsProvider(id, secret, p.values[keySessionToken])
		sp.Value.Source = "SharedConfigCredentials: " + p.file[keyAccessKeyID]
		sp.Value.AccountID = p.values[keyAccountID]
		sp.Source = []aws.CredentialSource{aws.CredentialSourceProfile}
		return sp, nil
	}
	if key := p.first(unsupportedKeys); key != "" {
		return nil, p.unsupported(key)
	}
	if cmd := p.values[keyCredentialProcess]; cmd != "" {
		return processcreds.NewProvider(cmd, func(o *processcreds.Options) {
			o.CredentialSources = []aws.CredentialSource{aws.CredentialSourceProfileProcess, aws.CredentialSourceProcess}
		}), nil
	}
	return nil, nil
}

// first is the first of keys the profile sets to something.
func (p *profile) first(keys []string) string {
	for _, k := range keys {
		if p.values[k] != "" {
			return k
		}
	}
	return ""
}

// unsupported says what to do instead: the AWS CLI can run the profile's
// flow and hand the result over as a credential_process.
func (p *profile) unsupported(key string) error {
	return errorf("profile %q (%s) uses %s, which is not supported here; "+
		"add a profile whose only setting is %q and set AWS_PROFILE to it",
		p.name, p.file[key], key,
		"credential_process = aws configure export-credentials --profile "+p.name+" --format process")
}
