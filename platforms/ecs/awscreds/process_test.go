package awscreds

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// processScript prints a credential_process answer in the documented
// shape (Version 1).
const processScript = `#!/bin/sh
cat <<'JSON'
{
  "Version": %s,
  "AccessKeyId": "AKIDPROCESS",
  "SecretAccessKey": "processsecret",
  "SessionToken": "processtoken",
  "Expiration": "2099-01-02T03:04:05Z"
}
JSON
`

// processRetrieve writes the script and the files ("path:content|..."),
// where {script} runs the script, and returns the access key that New's
// provider retrieves for the profile "proc".
func processRetrieve(t *testing.T, version, files string) (string, error) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the script is sh")
	}
	home := t.TempDir()
	script := filepath.Join(home, "creds.sh")
	writeFile(t, script, strings.Replace(processScript, "%s", version, 1))
	for _, f := range strings.Split(files, "|") {
		name, content, _ := strings.Cut(f, ":")
		writeFile(t, filepath.Join(home, name), strings.ReplaceAll(content, "{script}", "sh '"+script+"'"))
	}
	env := vars("AWS_EC2_METADATA_DISABLED=true AWS_PROFILE=proc")
	p, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := p.Retrieve(ctx)
	if err != nil {
		return "", err
	}
	if c.SecretAccessKey != "processsecret" || c.SessionToken != "processtoken" || !c.CanExpire ||
		!c.Expires.Equal(time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)) || c.Source != "ProcessProvider" {
		t.Errorf("credentials %+v", c)
	}
	return c.AccessKeyID, nil
}

func TestCredentialProcess(t *testing.T) {
	key, err := processRetrieve(t, "1", ".aws/config:[profile proc]\ncredential_process = {script}\n")
	if err != nil || key != "AKIDPROCESS" {
		t.Errorf("Retrieve: %q, %v; want AKIDPROCESS", key, err)
	}
}

func TestCredentialProcessFromTheCredentialsFile(t *testing.T) {
	key, err := processRetrieve(t, "1", ".aws/config:[profile proc]\ncredential_process = false\n|"+
		".aws/credentials:[proc]\ncredential_process = {script}\n")
	if err != nil || key != "AKIDPROCESS" {
		t.Errorf("Retrieve: %q, %v; want the credentials file's process to win", key, err)
	}
}

func TestCredentialProcessWrongVersion(t *testing.T) {
	_, err := processRetrieve(t, "2", ".aws/config:[profile proc]\ncredential_process = {script}\n")
	if err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("Version 2: %v, want an error about the version", err)
	}
}
