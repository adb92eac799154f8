package openapigen

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestOpenAPIDocumentValid(t *testing.T) {
	doc := generated(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi is %v, want 3.1.0", doc["openapi"])
	}
	if get(doc, "info", "title") != "meeboter API" || get(doc, "info", "version") != "1" {
		t.Errorf("info is %v", doc["info"])
	}
	walkRefs(doc, "#", func(at, ref string) {
		if !strings.HasPrefix(ref, "#/") || resolve(doc, ref) == nil {
			t.Errorf("%s: $ref %q resolves to nothing", at, ref)
		}
	})
}

// walkRefs calls fn with every $ref of v and where it is.
func walkRefs(v any, at string, fn func(at, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			fn(at, ref)
		}
		for k, child := range v {
			walkRefs(child, at+"/"+k, fn)
		}
	case []any:
		for i, child := range v {
			walkRefs(child, at+"/"+strconv.Itoa(i), fn)
		}
	}
}

// resolve follows a local JSON pointer (RFC 6901).
func resolve(doc map[string]any, ref string) any {
	var v any = doc
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		v = get(v, tok)
	}
	return v
}

var camelCase = regexp.MustCompile(`^[a-z]+([A-Z][a-z0-9]*)*$`)

// TestOpenAPIOperations checks what clients generated from the document
// rely on: unique camelCase operation ids, a declared parameter for every
// path wildcard, and a success response.
func TestOpenAPIOperations(t *testing.T) {
	doc := generated(t)
	seen := map[string]string{}
	for pattern, op := range operations(doc) {
		id, _ := op["operationId"].(string)
		if !camelCase.MatchString(id) {
			t.Errorf("%s: operation id %q is not camelCase", pattern, id)
		}
		if prev, dup := seen[id]; dup {
			t.Errorf("%s and %s share operation id %q", prev, pattern, id)
		}
		seen[id] = pattern
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if ref, ok := get(p, "$ref").(string); ok {
				p = resolve(doc, ref)
			}
			if get(p, "in") == "path" {
				declared[get(p, "name").(string)] = true
			}
		}
		for _, name := range pathParams(pattern) {
			if !declared[name] {
				t.Errorf("%s: path parameter %s is not declared", pattern, name)
			}
		}
		if !hasSuccess(op) {
			t.Errorf("%s has no 2xx response", pattern)
		}
	}
}

func hasSuccess(op map[string]any) bool {
	responses, _ := op["responses"].(map[string]any)
	for status := range responses {
		if strings.HasPrefix(status, "2") {
			return true
		}
	}
	return false
}

func TestOperationID(t *testing.T) {
	cases := []struct {
		method, path     string
		list, collection bool
		want             string
	}{
		{"GET", "/v1/bots", true, true, "listBots"},
		{"POST", "/v1/bots", false, true, "createBot"},
		{"GET", "/v1/bots/{id}", false, false, "getBot"},
		{"POST", "/v1/bots/{id}/log-level", false, false, "postBotLogLevel"},
		{"GET", "/v1/keys/logs", true, true, "listKeysLogs"},
		{"GET", "/v1/keys/{id}/logs", true, true, "listKeyLogs"},
		{"PATCH", "/v1/chat/templates/{id}", false, false, "updateChatTemplate"},
		{"GET", "/healthz", false, false, "getHealthz"},
	}
	for _, c := range cases {
		if got := operationID(c.method, c.path, c.list, c.collection); got != c.want {
			t.Errorf("operationID(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
}
