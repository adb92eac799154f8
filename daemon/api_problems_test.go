package daemon_test

import (
	"net/http"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

// Every error answer of the API is a problem document, also those of paths
// and methods the route table does not know.
func TestAPIUnknownRoutesAnswerProblems(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		for _, path := range []string{"/v1/nope", "/v1/bots/1/nope", "/v1/chat"} {
			wantProblem(t, send(t, d, d.AdminKey, http.MethodGet, path, ""), http.StatusNotFound, api.CodeNotFound)
		}
		for _, tc := range []struct{ method, path, allow string }{
			{http.MethodPut, "/v1/bots", "GET, POST"},
			{http.MethodDelete, "/v1/keys", "GET, POST"},
			{http.MethodGet, "/v1/bots/1/cancel", "POST"},
		} {
			r := send(t, d, d.AdminKey, tc.method, tc.path, "")
			wantProblem(t, r, http.StatusMethodNotAllowed, api.CodeMethodNotAllowed)
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
			}
		}
	})
}
