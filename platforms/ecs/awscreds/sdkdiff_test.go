package awscreds

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
)

// FuzzSharedFilesAgainstSDK holds the INI reader and the merge of the two
// files to the SDK's: for any config and credentials file, the default
// profile's keys and credential_process must be what
// config.LoadSharedConfigProfile reads, wherever the SDK reads them
// without error. The seeds run with every go test.
func FuzzSharedFilesAgainstSDK(f *testing.F) {
	f.Add("[default]\naws_access_key_id = AKID\naws_secret_access_key = s # c\naws_session_token = 't'\n", "")
	f.Add("[profile default]\ncredential_process = run\n  --more\n[default]\ncredential_process = other\n", "")
	f.Add("[default]\naws_access_key_id=CFG\naws_secret_access_key=cs\naws_session_token=ctok\n", "[default]\naws_access_key_id=CRED\naws_secret_access_key=s\n")
	f.Add("[default]\ncredential_process = a\n", "[default]\ncredential_process = b\n[profile default]\ncredential_process = c\n")
	f.Add("[ default ] ; c\nAWS_ACCESS_KEY_ID: x\n\tAWS_SECRET_ACCESS_KEY = y ;z\n", "")
	f.Add("[default]\ns3 =\n  aws_access_key_id = nested\n  aws_secret_access_key = nested\n", "")
	f.Add("[default]\nregion = x\n  aws_access_key_id = \"q\" # c\n  aws_secret_access_key = 'r'\n", "")
	f.Add("", "[default]\naws_access_key_id = only\n")
	f.Add("[Default]\naws_access_key_id = x\naws_secret_access_key = y\n", "[profile default]\naws_access_key_id = x\naws_secret_access_key = y\n")
	f.Fuzz(func(t *testing.T, cfgText, credText string) {
		if strings.Contains(cfgText+credText, "\r") {
			t.Skip("this reader drops the \\r of CRLF files, which the SDK keeps in continued values")
		}
		dir := t.TempDir()
		cfgPath, credPath := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
		writeFile(t, cfgPath, cfgText)
		writeFile(t, credPath, credText)

		sdk, sdkErr := sdkProfile(cfgPath, credPath)
		var notExist config.SharedConfigProfileNotExistError
		env := map[string]string{"AWS_CONFIG_FILE": cfgPath, "AWS_SHARED_CREDENTIALS_FILE": credPath}
		ours, err := loadProfile(func(k string) string { return env[k] }, "")
		switch {
		case errors.As(sdkErr, &notExist):
			if err != nil || ours != nil {
				t.Fatalf("the SDK finds no default profile; this package: %+v, %v", ours, err)
			}
			return
		case sdkErr != nil:
			return // the SDK refuses other settings this package does not read
		case err != nil:
			t.Fatalf("the SDK reads the profile (%+v); this package fails: %v", sdk.Credentials, err)
		case ours == nil:
			t.Fatalf("the SDK reads the profile (%+v); this package finds none", sdk.Credentials)
		case sdk.SourceProfileName != "":
			return // the SDK then drops the profile's own keys; this package refuses it
		}
		id, secret, token := ours.values[keyAccessKeyID], ours.values[keySecretAccessKey], ours.values[keySessionToken]
		if id == "" || secret == "" {
			id, secret, token = "", "", ""
		}
		if c := sdk.Credentials; c.AccessKeyID != id || c.SecretAccessKey != secret || c.SessionToken != token {
			t.Errorf("keys: SDK %q %q %q, this package %q %q %q", c.AccessKeyID, c.SecretAccessKey, c.SessionToken, id, secret, token)
		}
		if sdk.CredentialProcess != ours.values[keyCredentialProcess] {
			t.Errorf("credential_process: SDK %q, this package %q", sdk.CredentialProcess, ours.values[keyCredentialProcess])
		}
	})
}

// sdkProfile is the SDK's reading of the default profile. Its INI reader
// panics on some inputs (a value that is a lone quote); those are skipped.
func sdkProfile(cfgPath, credPath string) (c config.SharedConfig, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errSDKPanicked
		}
	}()
	return config.LoadSharedConfigProfile(context.Background(), "default", func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{cfgPath}
		o.CredentialsFiles = []string{credPath}
	})
}

var errSDKPanicked = errors.New("the SDK's reader panicked")
