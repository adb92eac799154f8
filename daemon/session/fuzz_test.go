package session_test

import (
	"testing"

	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/store/storetest"
)

// FuzzCheck feeds arbitrary cookie values and link tokens, which come
// from outside, to the service: none may panic, and none but a real
// secret may sign anyone in.
func FuzzCheck(f *testing.F) {
	b := setup(f, storetest.Engines(f)["sqlite"])
	real, err := b.svc.SignIn(f.Context(), b.key)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"", "mbc_", "mbl_", real.Secret, real.Secret[:20], "mbc_" + "\x00\xff", "mbl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, secret string) {
		a, err := b.svc.Check(t.Context(), secret)
		switch {
		case secret == real.Secret && err != nil:
			t.Fatalf("the real session was refused: %v", err)
		case secret != real.Secret && err != session.ErrNoSession:
			t.Fatalf("Check(%q) = %+v, %v", secret, a, err)
		}
		if _, err := b.svc.Redeem(t.Context(), secret); err != session.ErrBadLink {
			t.Fatalf("Redeem(%q) = %v", secret, err)
		}
	})
}
