package httpapi

import (
	"bytes"
	"encoding/json"
)

// withoutSecrets returns a JSON answer with the value of every "secret"
// member emptied and "secretOmitted": true beside it, at any depth (a
// created key, a created user's first key). The answers that carry a
// secret show it once; what is stored for replays must not hold it. A body
// that is not a JSON object or array is returned as it is.
func withoutSecrets(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"secret"`)) {
		return body
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return body
	}
	out, err := json.Marshal(scrub(v))
	if err != nil {
		return body
	}
	return append(out, '\n')
}

func scrub(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if k == "secret" {
				if _, ok := child.(string); ok {
					x[k], x["secretOmitted"] = "", true
					continue
				}
			}
			x[k] = scrub(child)
		}
	case []any:
		for i, child := range x {
			x[i] = scrub(child)
		}
	}
	return v
}
