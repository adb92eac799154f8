package domain

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// The text rules. PostgreSQL stores no NUL character in text (nor a
// \u0000 escape in jsonb), and neither engine should hold invalid UTF-8,
// so the engines would differ (one refusing, one storing) unless the
// daemon decides first. Input from people and programs is refused with the
// field named; text from bots, which resend what is refused for ever, is
// cleaned instead.

// ValidText reports whether s is valid UTF-8 without NUL characters.
func ValidText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Text checks that field holds storable text.
func (v *Validator) Text(s, field string) {
	v.Check(ValidText(s), field, "must be UTF-8 text without NUL characters")
}

// Clean makes s storable: NUL characters and invalid bytes become U+FFFD.
func Clean(s string) string {
	if ValidText(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// ValidJSONText reports whether raw JSON holds only storable text: no NUL
// character, escaped or not, no lone UTF-16 surrogate escape, valid UTF-8.
func ValidJSONText(raw []byte) bool {
	return utf8.Valid(raw) && bytes.IndexByte(raw, 0) < 0 && !bytes.Contains(raw, []byte(`\u0000`)) && !hasSurrogateEscape(raw)
}

// hasSurrogateEscape reports a \uD800-\uDFFF escape. A valid pair is
// storable, but finding lone ones exactly is not worth it here: any
// surrogate escape sends the value through CleanJSON, which keeps valid
// pairs (as the characters they encode) and replaces lone ones.
func hasSurrogateEscape(raw []byte) bool {
	for i := bytes.Index(raw, []byte(`\u`)); i >= 0 && i+6 <= len(raw); {
		if c := raw[i+2] | 0x20; c == 'd' && strings.ContainsRune("89abAB", rune(raw[i+3])) {
			return true
		}
		j := bytes.Index(raw[i+2:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

// CleanJSON makes raw JSON storable, cleaning every string in it (keys
// included) as Clean does. Raw that is not JSON is returned with the
// decoder's error.
func CleanJSON(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || ValidJSONText(raw) {
		return raw, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(bytes.ToValidUTF8(raw, []byte("\uFFFD"))))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(cleanValue(v))
}

func cleanValue(v any) any {
	switch x := v.(type) {
	case string:
		return Clean(x)
	case []any:
		for i := range x {
			x[i] = cleanValue(x[i])
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, child := range x {
			out[Clean(k)] = cleanValue(child)
		}
		return out
	}
	return v
}
