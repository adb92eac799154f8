package web

import "net/http"

// contentSecurityPolicy allows the console's own scripts, styles, images
// and event streams, and nothing else: no inline script or style (so
// injected markup cannot run), nothing from another origin, no framing
// (clickjacking), and forms that post only back to the console.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers of every console response.
// Referrer-Policy is same-origin rather than no-referrer: with no-referrer
// browsers send "Origin: null" on form posts, which the origin check must
// refuse.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}
