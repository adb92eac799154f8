package httpapi

import (
	"io"
	"net/http"

	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/domain"
)

// readScreenshot parses the multipart form of a screenshot upload; the
// agent service checks what it holds.
func readScreenshot(w http.ResponseWriter, r *http.Request) (agent.Screenshot, error) {
	r.Body = http.MaxBytesReader(w, r.Body, agent.MaxScreenshot+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return agent.Screenshot{}, err
		}
		return agent.Screenshot{}, errBadRequest("send multipart/form-data with a file part")
	}
	up := agent.Screenshot{Type: r.FormValue("type"), State: r.FormValue("state"), Trigger: r.FormValue("trigger")}
	f, _, err := r.FormFile("file")
	if err != nil {
		return up, domain.Invalid("file", "is required")
	}
	defer f.Close()
	if up.Data, err = io.ReadAll(io.LimitReader(f, agent.MaxScreenshot+1)); err != nil {
		return up, err
	}
	return up, nil
}
