package trpcclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"time"

	"github.com/meeboter/meeboter/trpc"
)

// UploadScreenshot posts a screenshot as the bots do: multipart parts
// "file" (screenshot.png, application/octet-stream), "type", "state" and,
// when set, "trigger", to /api/bots/{id}/screenshots. The reply is plain
// JSON; capturedAt must parse as an ISO date, as the bot requires.
func (c *Client) UploadScreenshot(ctx context.Context, botID int64, s trpc.ScreenshotUpload) (trpc.ScreenshotInfo, error) {
	body, contentType, err := screenshotForm(s)
	if err != nil {
		return trpc.ScreenshotInfo{}, err
	}
	url := fmt.Sprintf("%s/api/bots/%d/screenshots", c.base, botID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return trpc.ScreenshotInfo{}, fmt.Errorf("trpcclient: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(trpc.TokenHeader, c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return trpc.ScreenshotInfo{}, err
	}
	defer resp.Body.Close()
	return readScreenshotReply(resp)
}

// screenshotForm builds the multipart body.
func screenshotForm(s trpc.ScreenshotUpload) (io.Reader, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	name := s.Filename
	if name == "" {
		name = "screenshot.png"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(s.Data)
	}
	fields := [][2]string{{"type", s.Type}, {"state", s.State}, {"trigger", s.Trigger}}
	for _, f := range fields {
		if err == nil && (f[0] != "trigger" || f[1] != "") {
			err = w.WriteField(f[0], f[1])
		}
	}
	if err == nil {
		err = w.Close()
	}
	return &buf, w.FormDataContentType(), err
}

// screenshotReply is the upload route's JSON reply (or error body).
type screenshotReply struct {
	Key        string `json:"key"`
	CapturedAt string `json:"capturedAt"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Trigger    string `json:"trigger"`
	Error      string `json:"error"`
}

func readScreenshotReply(resp *http.Response) (trpc.ScreenshotInfo, error) {
	var rep screenshotReply
	err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&rep)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return trpc.ScreenshotInfo{}, &Error{Message: rep.Error, HTTPStatus: resp.StatusCode}
	}
	if err != nil {
		return trpc.ScreenshotInfo{}, fmt.Errorf("trpcclient: screenshot reply: %w", err)
	}
	at, err := time.Parse(time.RFC3339, rep.CapturedAt)
	if err != nil {
		return trpc.ScreenshotInfo{}, fmt.Errorf("trpcclient: screenshot capturedAt: %w", err)
	}
	return trpc.ScreenshotInfo{Key: rep.Key, CapturedAt: at, Type: rep.Type, State: rep.State, Trigger: rep.Trigger}, nil
}
