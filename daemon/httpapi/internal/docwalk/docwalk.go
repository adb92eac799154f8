// Package docwalk reads a decoded OpenAPI document, for the tests of the
// document and of the page rendered from it.
package docwalk

import "strings"

// Operations lists a document's operations as "METHOD /path" patterns.
func Operations(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			out[strings.ToUpper(method)+" "+path] = op.(map[string]any)
		}
	}
	return out
}

// Get follows a path of object members; nil when one is missing.
func Get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
