package blob

import (
	"mime"
	"strings"
	"time"
	"unicode/utf8"
)

// maxContentType bounds a stored content type; real ones are far shorter.
const maxContentType = 255

// ContentType returns the content type to store for ct: ct itself when it
// is a valid media type, DefaultContentType when it is empty, and an
// ErrInvalid error naming the content type otherwise.
func ContentType(ct string) (string, error) {
	if ct == "" {
		return DefaultContentType, nil
	}
	if len(ct) > maxContentType {
		return "", invalid("content type", "is %d bytes, longer than %d", len(ct), maxContentType)
	}
	if strings.ContainsAny(ct, "\r\n") {
		return "", invalid("content type", "must be one line")
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		return "", invalid("content type", "%q is not a media type: %v", clip(ct), err)
	}
	return ct, nil
}

// ValidSize checks a Put's declared size: -1 (unknown) or at least 0.
func ValidSize(size int64) error {
	if size < -1 {
		return invalid("size", "must be -1 (unknown) or at least 0, not %d", size)
	}
	return nil
}

// ValidTTL checks a signed URL's lifetime: at least a second (the
// resolution of both URL schemes) and at most MaxTTL.
func ValidTTL(ttl time.Duration) error {
	if ttl < time.Second || ttl > MaxTTL {
		return invalid("ttl", "must be between 1s and %s, not %s", MaxTTL, ttl)
	}
	return nil
}

// ValidFilename checks SignOptions.Filename: empty, or a plain file name
// of at most 255 bytes with no path separators or control characters.
func ValidFilename(name string) error {
	if name == "" {
		return nil
	}
	if len(name) > MaxSegment || !utf8.ValidString(name) {
		return invalid("filename", "must be valid UTF-8 of at most %d bytes", MaxSegment)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return invalid("filename", "%q must not contain %q", clip(name), r)
		}
	}
	return nil
}

// ContentDisposition is the Content-Disposition value that makes a
// download save under name. Non-ASCII names are encoded as RFC 2231 says,
// which browsers understand.
func ContentDisposition(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}
