package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// SecretFile is the name, in the data directory, of the generated
// webhook signing secret.
const SecretFile = "webhook-secret"

// LoadSecret returns the secret kept at path, generating it on first
// start (created reports that). The file is written with mode 0600 and
// never replaced, so receivers configured with it keep verifying across
// restarts. Secrets generated now are Standard Webhooks secrets, "whsec_"
// and the base64 of 32 random bytes; a file written by an older release
// holds "whsec_" and 64 hex digits, which stays valid as it is (see
// api.WebhookKey).
func LoadSecret(path string) (secret []byte, created bool, err error) {
	secret, created, err = readOrCreateSecret(path)
	if err != nil {
		return nil, false, fmt.Errorf("webhook secret: %w", err)
	}
	return secret, created, nil
}

// readOrCreateSecret reads the secret at path, or creates the file with a
// new random one. The file appears complete or not at all (written aside,
// then linked into place), and the link fails if another start won the
// race, which then reads the winner's secret.
func readOrCreateSecret(path string) (secret []byte, created bool, err error) {
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return []byte(s), false, nil
		}
		return nil, false, fmt.Errorf("%s is empty; delete it to generate a new secret", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	s := NewSecret()
	if err := writeNew(path, s+"\n"); errors.Is(err, os.ErrExist) {
		return readOrCreateSecret(path)
	} else if err != nil {
		return nil, false, err
	}
	return []byte(s), true, nil
}

// NewSecret returns a new signing secret in the Standard Webhooks form:
// "whsec_" and the base64 of 32 random bytes (the standard asks for 24 to
// 64).
func NewSecret() string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	return api.WebhookSecretPrefix + base64.StdEncoding.EncodeToString(raw)
}

// writeNew creates path with content and mode 0600, failing with
// os.ErrExist when it exists.
func writeNew(path, content string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".webhook-secret-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(content); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Link(f.Name(), path)
}
