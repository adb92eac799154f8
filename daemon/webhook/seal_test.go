package webhook

import (
	"errors"
	"strings"
	"testing"
)

func TestSealer(t *testing.T) {
	t.Parallel()
	s, err := NewSealer([]byte("whsec_daemon"))
	if err != nil {
		t.Fatal(err)
	}
	secret := NewSecret()
	sealed := s.Seal(7, secret)
	if strings.Contains(sealed, secret) || strings.Contains(sealed, strings.TrimPrefix(secret, "whsec_")) {
		t.Fatalf("sealed %q holds the secret in the clear", sealed)
	}
	if again := s.Seal(7, secret); again == sealed {
		t.Fatal("sealing twice gave the same text: the nonce is not fresh")
	}
	got, err := s.Open(7, sealed)
	if err != nil || got != secret {
		t.Fatalf("open = %q, %v; want the secret", got, err)
	}
	other, _ := NewSealer([]byte("whsec_another"))
	for name, open := range map[string]func() (string, error){
		"another daemon secret": func() (string, error) { return other.Open(7, sealed) },
		"another owner":         func() (string, error) { return s.Open(8, sealed) },
		"altered":               func() (string, error) { return s.Open(7, sealed[:len(sealed)-2]+"AA") },
		"not sealed":            func() (string, error) { return s.Open(7, secret) },
	} {
		if _, err := open(); !errors.Is(err, ErrUnseal) {
			t.Errorf("%s: %v, want ErrUnseal", name, err)
		}
	}
	if _, err := NewSealer(nil); err == nil {
		t.Fatal("an empty daemon secret was accepted")
	}
}
