// Package api is meeboter's public HTTP API as Go: the wire types every
// endpoint takes and returns, the stable error codes of its problem
// documents, and a client. It depends on the standard library only, so
// programs that drive meeboter can import it without the daemon's
// dependencies; the CLI and the dashboard use nothing else to talk to a
// daemon.
package api
