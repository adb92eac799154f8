package ecsapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
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

// retryableCodes are the error codes the SDK's standard retryer retries
// (its throttling and transient codes): ECS throttles by account and
// operation, and a retry after a backoff is what AWS asks for.
var retryableCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"RequestThrottledException": true, "TooManyRequestsException": true,
	"ProvisionedThroughputExceededException": true, "TransactionInProgressException": true,
	"RequestLimitExceeded": true, "BandwidthLimitExceeded": true, "LimitExceededException": true,
	"RequestThrottled": true, "SlowDown": true, "PriorRequestNotComplete": true,
	"EC2ThrottledException": true, "RequestTimeout": true, "RequestTimeoutException": true,
}

// retryable reports whether an error answer may succeed if sent again:
// a throttling or transient code, or a 500, 502, 503 or 504. Every call
// the platform makes is safe to repeat: RunTask carries a client token.
func (e *Error) retryable() bool {
	if retryableCodes[e.Code] {
		return true
	}
	switch e.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
