package domain

import "testing"

// TestHashSecret pins the stored form of a secret: SHA-256 in lowercase
// hex. Every stored key and token hash depends on it.
func TestHashSecret(t *testing.T) {
	t.Parallel()
	for secret, want := range map[string]string{
		"":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	} {
		if got := HashSecret(secret); got != want {
			t.Errorf("HashSecret(%q) = %s, want %s", secret, got, want)
		}
	}
}
