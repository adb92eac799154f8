package trpc_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/internal/fakebackend"
)

// upload posts a multipart screenshot and returns status and body.
func upload(t *testing.T, base, botID, token string, size int, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if size > 0 {
		part, _ := w.CreateFormFile("file", "screenshot.png")
		_, _ = part.Write(bytes.Repeat([]byte{0x89}, size))
	}
	for _, k := range []string{"type", "state", "trigger"} {
		if v, ok := fields[k]; ok {
			_ = w.WriteField(k, v)
		}
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/bots/"+botID+"/screenshots", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set(trpc.TokenHeader, token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSuffix(string(out), "\n")
}

func TestScreenshotUpload(t *testing.T) {
	b := fakebackend.Standard()
	base := serve(t, b, trpc.Options{})
	ok := map[string]string{"type": "state_change", "state": "JOINING_CALL", "trigger": "JOINING_CALL"}
	noTrigger := map[string]string{"type": "manual", "state": "IN_CALL"}
	tests := []struct {
		name, id, token string
		size            int
		fields          map[string]string
		status          int
		body            string
	}{
		{"created", "123", fakebackend.TokenBot123, 1000, ok, 201,
			`{"key":"bots/123/screenshots/1-state_change-1766916062000.webp","capturedAt":"2025-12-28T10:01:02.000Z","type":"state_change","state":"JOINING_CALL","trigger":"JOINING_CALL"}`},
		{"ten megabytes", "123", fakebackend.TokenBot123, 10 << 20, noTrigger, 201,
			`{"key":"bots/123/screenshots/2-manual-1766916062000.webp","capturedAt":"2025-12-28T10:01:02.000Z","type":"manual","state":"IN_CALL"}`},
		{"too large", "123", fakebackend.TokenBot123, 21 << 20, ok, 413, `{"error":"Screenshot too large"}`},
		{"no token", "123", "", 10, ok, 401, `{"error":"Unauthorized"}`},
		{"bad token", "123", "nope", 10, ok, 401, `{"error":"Unauthorized"}`},
		{"token before id", "abc", "", 10, ok, 401, `{"error":"Unauthorized"}`},
		{"bad id", "12a", fakebackend.TokenBot123, 10, ok, 400, `{"error":"Invalid bot ID"}`},
		{"other bot", "124", fakebackend.TokenBot123, 10, ok, 403, `{"error":"Forbidden"}`},
		{"unknown bot", "999", fakebackend.TokenShared, 10, ok, 404, `{"error":"Bot not found"}`},
		{"no file", "123", fakebackend.TokenBot123, 0, ok, 400, `{"error":"No file provided"}`},
		{"bad type", "123", fakebackend.TokenBot123, 10, map[string]string{"type": "selfie", "state": "X"}, 400, `{"error":"Invalid screenshot type"}`},
		{"no state", "123", fakebackend.TokenBot123, 10, map[string]string{"type": "manual"}, 400, `{"error":"State is required"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := upload(t, base, tt.id, tt.token, tt.size, tt.fields)
			if status != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", status, body, tt.status, tt.body)
			}
		})
	}
	if shots := b.Bot(123).Screenshots; len(shots) != 2 || shots[0].Filename != "screenshot.png" || len(shots[1].Data) != 10<<20 {
		t.Errorf("stored %d screenshots", len(shots))
	}
}
