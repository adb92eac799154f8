package trpc

import (
	"io"
	"mime/multipart"
	"net/http"
)

// formError is a form problem described to the uploader.
type formError string

func (e formError) Error() string { return string(e) }

// readScreenshot streams the multipart form into a ScreenshotUpload. The
// whole body is already capped by a MaxBytesReader, so the file part can be
// read into memory.
func readScreenshot(r *http.Request) (ScreenshotUpload, error) {
	if !isMultipart(r) {
		return ScreenshotUpload{}, formError("Invalid form data")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return ScreenshotUpload{}, formError("Invalid form data")
	}
	var up ScreenshotUpload
	seenFile := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ScreenshotUpload{}, err
		}
		if part.FormName() == "file" {
			seenFile = true
		}
		if err := readPart(part, &up); err != nil {
			return ScreenshotUpload{}, err
		}
	}
	return up, checkScreenshot(up, seenFile)
}

// readPart stores one part's content in up.
func readPart(part *multipart.Part, up *ScreenshotUpload) error {
	defer part.Close()
	switch part.FormName() {
	case "file":
		data, err := io.ReadAll(part)
		up.Data, up.Filename, up.ContentType = data, part.FileName(), part.Header.Get("Content-Type")
		return err
	case "type":
		return readField(part, &up.Type, maxShortText)
	case "state":
		return readField(part, &up.State, maxShortText)
	case "trigger":
		return readField(part, &up.Trigger, maxLongText)
	}
	return discard(part)
}

// readField reads a text part, truncated to limit bytes.
func readField(part *multipart.Part, dst *string, limit int) error {
	b, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
	if err != nil {
		return err
	}
	*dst = truncate(string(b), limit)
	return discard(part)
}

// checkScreenshot validates the parts the reference requires.
func checkScreenshot(up ScreenshotUpload, seenFile bool) error {
	switch {
	case !seenFile || len(up.Data) == 0:
		return formError("No file provided")
	case oneOf("type", up.Type, screenshotTypes) != nil:
		return formError("Invalid screenshot type")
	case up.State == "":
		return formError("State is required")
	}
	return nil
}
