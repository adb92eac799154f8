package sandbox

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"

	"github.com/meeboter/meeboter/api"
)

// Screenshot uploads the image as multipart/form-data with the fields the
// bot images send: file, type, state and trigger.
func (n *nativeTransport) Screenshot(ctx context.Context, s Screenshot) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="screenshot.png"`)
	h.Set("Content-Type", "image/png")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := part.Write(s.PNG); err != nil {
		return err
	}
	for _, f := range [][2]string{{"type", s.Type}, {"state", s.State}, {"trigger", s.Trigger}} {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.base+"/screenshots", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	_, err = n.send(req, &api.Screenshot{})
	return err
}
