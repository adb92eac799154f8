package ecsapi

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzParseError feeds error answers as any server, or anything between,
// may write them: the result always has a code and a message, and a code
// never keeps a namespace or a URL suffix.
func FuzzParseError(f *testing.F) {
	f.Add(400, "", `{"__type":"com.amazonaws.ecs#ClientException","message":"bad"}`)
	f.Add(400, "InvalidParameterException:http://internal.amazon.com/", `{"message":"not found"}`)
	f.Add(500, "", `<html>`)
	f.Add(503, "#", `{"code":":"}`)
	f.Fuzz(func(t *testing.T, status int, header, body string) {
		h := http.Header{}
		h.Set("X-Amzn-Errortype", header)
		e := parseError(status, h, []byte(body))
		if e.Code == "" || strings.ContainsAny(e.Code, "#:") && e.Code != "UnknownError" {
			t.Fatalf("code %q from header %q, body %q", e.Code, header, body)
		}
		if e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("no message for status %d, body %q", status, body)
		}
		_ = e.Error()
	})
}
