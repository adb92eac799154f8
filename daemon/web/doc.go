// Package web is the daemon's web console: server-rendered pages for
// people who prefer a browser to the CLI. It is a transport, like the
// REST API beside it, and calls the same services with the same rules: a
// member sees only their own bots and keys; an admin also sees users, the
// pool and its slots, and to a member those pages do not exist (404).
//
// Pages are written by Go functions (page_*.go, on internal/htmlw, which
// escapes every value) with a little plain JavaScript (live
// updates over a same-origin event stream, copy buttons, form helpers),
// all embedded in the binary, so building meeboter needs no Node step.
// Every response carries a Content-Security-Policy that allows scripts,
// styles and images from the console itself only: nothing inline, nothing
// from elsewhere.
//
// Sign-in is with an API key, or with a one-time link from `meeboter open`.
// Either starts a server-side session (see package session) held in an
// HttpOnly, SameSite=Strict cookie. Every POST must carry the session's
// CSRF token and come from the console's own origin.
package web
