package blob

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxKey is the longest key in bytes, S3's own limit.
const MaxKey = 1024

// MaxSegment is the longest segment of a key in bytes: the usual limit on
// a file name, which a directory store turns every segment into.
const MaxSegment = 255

// ValidKey checks key against the rules in the package documentation. The
// error wraps ErrInvalid and names the key.
func ValidKey(key string) error {
	if key == "" {
		return invalid("key", "must not be empty")
	}
	if err := checkPath(key); err != nil {
		return fmt.Errorf("%w: key %q: %s", ErrInvalid, clip(key), err.Error())
	}
	return nil
}

// ValidPrefix checks a listing prefix: empty, or a key or the start of
// one (it may end in a slash or in the middle of a segment).
func ValidPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	p := strings.TrimSuffix(prefix, "/")
	if p == "" {
		return fmt.Errorf("%w: prefix %q: must not start with a slash", ErrInvalid, prefix)
	}
	if err := checkPath(p); err != nil {
		return fmt.Errorf("%w: prefix %q: %s", ErrInvalid, clip(prefix), err.Error())
	}
	return nil
}

// checkPath applies the key rules to a whole path.
func checkPath(p string) error {
	if len(p) > MaxKey {
		return fmt.Errorf("is %d bytes, longer than %d", len(p), MaxKey)
	}
	if !utf8.ValidString(p) {
		return errText("is not valid UTF-8")
	}
	if strings.HasPrefix(p, "/") {
		return errText("must not start with a slash")
	}
	for seg := range strings.SplitSeq(p, "/") {
		if err := checkSegment(seg); err != nil {
			return err
		}
	}
	return nil
}

// checkSegment applies the rules for one slash-separated part.
func checkSegment(seg string) error {
	switch {
	case seg == "":
		return errText("has an empty segment (a doubled or trailing slash)")
	case seg[0] == '.':
		return fmt.Errorf("has segment %q starting with a dot", seg)
	case len(seg) > MaxSegment:
		return fmt.Errorf("has a segment of %d bytes, longer than %d", len(seg), MaxSegment)
	}
	for _, r := range seg {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return fmt.Errorf("contains %q", r)
		}
	}
	return nil
}

// errText is a fixed reason, kept apart so the common reasons allocate
// nothing until they are wrapped.
type errText string

func (e errText) Error() string { return string(e) }

// invalid builds an ErrInvalid error naming the argument.
func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s", ErrInvalid, field, fmt.Sprintf(format, args...))
}

// clip shortens a rejected value for an error message, so a megabyte of
// garbage in does not become a megabyte of log.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:77] + "..."
}
