package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// problemError turns an error answer into *api.Error, wrapped in ErrGone
// or ErrUnauthorized when the answer ends the bot's run.
func problemError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	e := &api.Error{}
	if err := json.Unmarshal(body, &e.Problem); err != nil || e.Code == "" {
		e.Problem = api.Problem{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode), Code: fallbackCode(resp.StatusCode)}
		if text := strings.TrimSpace(string(body)); text != "" && len(text) < 300 {
			e.Detail = text
		}
	}
	if e.Status == 0 {
		e.Status = resp.StatusCode
	}
	switch resp.StatusCode {
	case http.StatusGone:
		return fmt.Errorf("%w: %w", ErrGone, e)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrUnauthorized, e)
	}
	return e
}

// fallbackCode names an answer without a problem document (a proxy's HTML
// page, say) after its status, so errors.Is still works on the code.
func fallbackCode(status int) string {
	switch {
	case status == http.StatusConflict:
		return api.CodeConflict
	case status == http.StatusTooManyRequests:
		return api.CodeRateLimited
	case status >= 500:
		return api.CodeUnavailable
	}
	return api.CodeBadRequest
}
