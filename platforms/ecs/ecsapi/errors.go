package ecsapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Error is an error answer of the ECS API: its code (ClientException,
// InvalidParameterException, ConflictException, ...), message and HTTP
// status. A ConflictException also names the tasks the reused client
// token started.
type Error struct {
	Code        string
	Message     string
	StatusCode  int
	RequestID   string
	ResourceIDs []string
}

// Error reads as the SDK's do: "api error <code>: <message>".
func (e *Error) Error() string {
	s := fmt.Sprintf("api error %s: %s", e.Code, e.Message)
	if e.RequestID != "" {
		s += " (request " + e.RequestID + ")"
	}
	return s
}

// Error codes the platform acts on.
const (
	CodeConflict         = "ConflictException"
	CodeInvalidParameter = "InvalidParameterException"
	CodeThrottling       = "ThrottlingException"
	CodeServer           = "ServerException"
)

// IsCode reports whether err is an API error with that code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// errorBody is a JSON 1.1 error: the code in __type (or code), possibly
// namespaced ("com.amazonaws.ecs#ClientException"), and the message in
// message or Message, as the services write them.
type errorBody struct {
	Type        string   `json:"__type"`
	Code        string   `json:"code"`
	Message     string   `json:"message"`
	MessageCap  string   `json:"Message"`
	ResourceIDs []string `json:"resourceIds"`
}

// parseError reads an error answer. The X-Amzn-ErrorType header, when
// set, names the code over the body, as in the SDK's deserializers; a
// body that is not JSON still gives an error with the status.
func parseError(status int, h http.Header, body []byte) *Error {
	e := &Error{StatusCode: status, RequestID: h.Get("X-Amzn-Requestid"), Code: "UnknownError"}
	var b errorBody
	if json.Unmarshal(body, &b) == nil {
		e.Message = b.Message
		if e.Message == "" {
			e.Message = b.MessageCap
		}
		e.ResourceIDs = b.ResourceIDs
		if c := sanitizeCode(b.Type); c != "" {
			e.Code = c
		} else if c := sanitizeCode(b.Code); c != "" {
			e.Code = c
		}
	} else {
		e.Message = strings.TrimSpace(string(body))
	}
	if c := sanitizeCode(h.Get("X-Amzn-Errortype")); c != "" {
		e.Code = c
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// sanitizeCode keeps the bare code of "ns#Code" and "Code:http://...".
func sanitizeCode(c string) string {
	c, _, _ = strings.Cut(c, ":")
	if i := strings.LastIndexByte(c, '#'); i >= 0 {
		c = c[i+1:]
	}
	return strings.TrimSpace(c)
}

// retryable reports whether an error answer may succeed if sent again,
// by the SDK's standard retryer's own tables: a throttling or transient
// code (ECS throttles by account and operation), or a 500, 502, 503 or
// 504. Every call the platform makes is safe to repeat: RunTask carries a
// client token.
func (e *Error) retryable() bool {
	_, throttled := retry.DefaultThrottleErrorCodes[e.Code]
	_, transient := retry.DefaultRetryableErrorCodes[e.Code]
	_, failed := retry.DefaultRetryableHTTPStatusCodes[e.StatusCode]
	return throttled || transient || failed
}

// sdkBackoff is the SDK standard retryer's wait before attempt n+1: up to
// 2^n seconds at random, at most 20 s.
func sdkBackoff(n int) time.Duration {
	d, err := retry.NewExponentialJitterBackoff(20*time.Second).BackoffDelay(n, nil)
	if err != nil { // no randomness to be had: the longest wait
		return 20 * time.Second
	}
	return d
}
