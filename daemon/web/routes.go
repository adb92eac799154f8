package web

import (
	"net/http"
)

// route is one console endpoint. Public routes need no session; all
// others send a browser without one to the sign-in page.
type route struct {
	pattern string
	h       handler
	public  bool
}

// routes is the console's route table. Paths are the console's own; the
// REST API keeps /v1, the bot protocol /api.
func (c *Console) routes() []route {
	return []route{
		{"GET /signin", c.signinPage, true},
		{"POST /signin", c.signin, true},
		{"GET /signin/link", c.linkPage, true},
		{"POST /signin/link", c.redeemLink, true},
		{"POST /signout", c.signout, false},

		{"GET /{$}", c.home, false},
		{"GET /bots", c.botsPage, false},
		{"POST /bots/bulk", c.bulk, false},
		{"GET /bots/new", c.newBotPage, false},
		{"POST /bots/new", c.createBot, false},
		{"GET /bots/{id}", c.botPage, false},
		{"POST /bots/{id}/leave", c.leaveBot, false},
		{"POST /bots/{id}/cancel", c.cancelBot, false},
		{"POST /bots/{id}/chat", c.sendChat, false},
		{"GET /keys", c.keysPage, false},
		{"POST /keys", c.createKey, false},
		{"POST /keys/{id}/revoke", c.revokeKey, false},
		{"GET /usage", c.usagePage, false},
		{"GET /pool", c.poolPage, false},
		{"GET /users", c.usersPage, false},
		{"POST /users", c.createUser, false},
		{"POST /users/{id}/reset-keys", c.resetKeys, false},
	}
}

// Handler serves the console and hands every other path to next (the
// REST API, the bot protocol, health and the API reference).
func (c *Console) Handler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range c.routes() {
		mux.Handle(rt.pattern, c.serve(rt))
	}
	mux.Handle("GET /static/", headers(staticHandler()))
	// The streams write as events happen, so they bypass the page
	// renderer; they check the session like every page.
	mux.Handle("GET /live", headers(http.HandlerFunc(c.streamFleet)))
	mux.Handle("GET /bots/{id}/live", headers(http.HandlerFunc(c.streamBot)))
	mux.Handle("GET /bots/{id}/screenshots/{sid}", headers(http.HandlerFunc(c.screenshot)))
	mux.Handle("/", next)
	return mux
}
