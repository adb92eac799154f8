package trpcclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// splitItems cuts a batch response into one item per call. A single object
// applies to every call, as the real client does.
func splitItems(body []byte, n, status int) ([]json.RawMessage, error) {
	t := bytes.TrimSpace(body)
	if !json.Valid(t) || len(t) == 0 {
		return nil, fmt.Errorf("trpcclient: response (HTTP %d) is not JSON", status)
	}
	if t[0] == '{' {
		items := make([]json.RawMessage, n)
		for i := range items {
			items[i] = t
		}
		return items, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(t, &items); err != nil {
		return nil, fmt.Errorf("trpcclient: response (HTTP %d) is neither an array nor an object", status)
	}
	if len(items) != n {
		return nil, fmt.Errorf("trpcclient: %d results for %d calls", len(items), n)
	}
	return items, nil
}

// item is one element of a response: a result or an error.
type item struct {
	Result *struct {
		Data json.RawMessage `json:"data"`
	} `json:"result"`
	Error json.RawMessage `json:"error"`
}

// decodeItem returns an item's result, or its error as an *Error.
func decodeItem(raw json.RawMessage) (superjson.Decoded, error) {
	var it item
	if err := json.Unmarshal(raw, &it); err != nil {
		return nilDecoded, errors.New("trpcclient: malformed response item")
	}
	if it.Error != nil {
		return nilDecoded, decodeError(it.Error)
	}
	if it.Result == nil || !hasJSONKey(it.Result.Data) {
		return nilDecoded, errors.New("trpcclient: result without its superjson \"json\" wrapper")
	}
	return superjson.Decode(it.Result.Data)
}

// hasJSONKey reports whether an envelope object holds the "json" key.
func hasJSONKey(env json.RawMessage) bool {
	var keys map[string]json.RawMessage
	if json.Unmarshal(env, &keys) != nil {
		return false
	}
	_, ok := keys["json"]
	return ok
}
