package web

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/chat"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/store"
)

// Services are what the pages call: the REST API's services, and the
// console's sessions.
type Services struct {
	Life    *lifecycle.Service
	Account *account.Service
	Chat    *chat.Service
	Feed    *feed.Hub
	Session *session.Service
}

// Config holds the console's settings.
type Config struct {
	// PublicURL is the daemon's URL. When it is https the session cookie
	// is Secure even if TLS ends at a proxy in front of the daemon, and its
	// host is an origin forms may come from.
	PublicURL string
	// Version is shown in the footer.
	Version string
	// OpenBlob opens a stored object (a screenshot) by its key; nil
	// shows screenshots as records without their images.
	OpenBlob func(ctx context.Context, key string) (io.ReadCloser, error)
	// RecordingURL links a bot's recording. It is the hook for the blob
	// store: while it is nil the bot page shows the recording's storage
	// key only.
	RecordingURL func(ctx context.Context, b store.Bot) (string, error)
}

// Console is the web console of one daemon.
type Console struct {
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	svc    Services
	secure bool   // cookies are Secure whatever the request came over
	origin string // the public URL's host, an origin forms may come from
}

// New returns the console.
func New(cfg Config, log *slog.Logger, now func() time.Time, svc Services) *Console {
	c := &Console{cfg: cfg, log: log, now: now, svc: svc}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Host != "" {
		c.secure = strings.EqualFold(u.Scheme, "https")
		c.origin = strings.ToLower(u.Host)
	}
	return c
}
