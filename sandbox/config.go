package sandbox

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// Config configures one sandbox bot. The scenario and timing fields act as
// flags: a zero value leaves the choice to the bot's metadata (see the
// package documentation), then to the default.
type Config struct {
	BotID   int64  // BOT_ID
	BaseURL string // MILO_URL
	Token   string // MILO_AUTH_TOKEN
	// Protocol is ProtocolNative (default) or ProtocolTRPC.
	Protocol string

	Scenario           string        // sandbox.scenario; default normal
	CallEndsAfter      time.Duration // sandbox.call-ends-after; default 5 s
	StepDelay          time.Duration // sandbox.step-delay; default 1 s
	HeartbeatInterval  time.Duration // sandbox.heartbeat-interval; default 2 s
	ChatInterval       time.Duration // sandbox.chat-interval; default 2 s
	WaitingRoomTimeout time.Duration // sandbox.waiting-room-timeout; default automaticLeave

	// LogFlushInterval is how often buffered log entries are shipped.
	// Default 1 s.
	LogFlushInterval time.Duration
	// RetryBase and RetryMax shape the backoff of failed calls (default
	// 500 ms doubling up to 10 s); RetryFor bounds how long a call the bot
	// cannot go on without (config, status) is retried. Default 2 min.
	RetryBase, RetryMax, RetryFor time.Duration
	// GiveUpAfter is how long heartbeats may fail without a break before
	// the bot stops: by then the daemon has ended it as silent, and a bot
	// must not run on uncounted once no daemon can see it. Default 5 min
	// (the daemon's heartbeat timeout is 2 min).
	GiveUpAfter time.Duration

	// S3 holds the S3_* settings of the bucket a recording goes to (see
	// S3FromEnv); without S3_BUCKET_NAME the bot records nothing.
	S3 map[string]string

	// Stdout receives the human-readable log lines. Default os.Stdout.
	Stdout io.Writer
	// HTTPClient is used by the transport Protocol selects.
	HTTPClient *http.Client
	// Transport, when set, replaces the one Protocol selects.
	Transport Transport
}

// ConfigFromEnv reads the variables every bot container gets: BOT_ID,
// MILO_URL, MILO_AUTH_TOKEN and the S3_* settings. A missing or malformed
// BOT_ID leaves BotID zero, which Run reports.
func ConfigFromEnv(getenv func(string) string) Config {
	id, _ := strconv.ParseInt(getenv("BOT_ID"), 10, 64)
	s3 := map[string]string{}
	for _, k := range []string{"S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET_NAME", "S3_REGION", "S3_FORCE_PATH_STYLE"} {
		if v := getenv(k); v != "" {
			s3[k] = v
		}
	}
	return Config{BotID: id, BaseURL: getenv("MILO_URL"), Token: getenv("MILO_AUTH_TOKEN"), S3: s3}
}

// check fills the defaults that do not depend on metadata and validates.
func (c Config) check() (Config, error) {
	if c.BotID <= 0 {
		return c, errors.New("sandbox: BOT_ID must be a positive integer")
	}
	if c.Transport == nil && c.BaseURL == "" {
		return c, errors.New("sandbox: MILO_URL is required")
	}
	c.Protocol = cmp.Or(c.Protocol, ProtocolNative)
	c.LogFlushInterval = cmp.Or(c.LogFlushInterval, time.Second)
	c.RetryBase = cmp.Or(c.RetryBase, 500*time.Millisecond)
	c.RetryMax = cmp.Or(c.RetryMax, 10*time.Second)
	c.RetryFor = cmp.Or(c.RetryFor, 2*time.Minute)
	c.GiveUpAfter = cmp.Or(c.GiveUpAfter, 5*time.Minute)
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	// Two handlers share Stdout (the bot's and the shipper's own).
	c.Stdout = &syncWriter{w: c.Stdout}
	return c, nil
}

// syncWriter serialises writes to a writer that may not do so itself.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// transport returns the configured transport or builds the one Protocol
// names.
func (c Config) transport() (Transport, error) {
	if c.Transport != nil {
		return c.Transport, nil
	}
	switch c.Protocol {
	case ProtocolNative:
		return NewNativeTransport(c.BaseURL, c.Token, c.HTTPClient), nil
	case ProtocolTRPC:
		return NewTRPCTransport(c.BaseURL, c.Token, c.BotID, c.HTTPClient), nil
	}
	return nil, fmt.Errorf("sandbox: unknown protocol %q (want native or trpc)", c.Protocol)
}

// mustLand is the backoff of calls the bot cannot go on without.
func (c Config) mustLand() backoff {
	return backoff{base: c.RetryBase, max: c.RetryMax, within: c.RetryFor}
}

// bestEffort is the backoff of calls whose loss only costs detail
// (events, screenshots, a single heartbeat): four tries, as the real bots
// make for heartbeats.
func (c Config) bestEffort() backoff {
	return backoff{base: c.RetryBase, max: c.RetryMax, within: c.RetryFor, tries: 4}
}

// lastWords is the backoff of the final log shipment: worth a few seconds
// of retries, not the minutes a status gets, since the bot is done anyway.
func (c Config) lastWords() backoff {
	return backoff{base: c.RetryBase, max: c.RetryMax, within: min(c.RetryFor, 10*time.Second)}
}
