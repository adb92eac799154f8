// Package domain holds what the daemon's services share: the errors they
// return, the validator that builds the invalid-input error, who is
// calling, and how secrets are made and stored.
//
// Services speak in these terms and in the store's; the transports (REST,
// tRPC, the event streams) each map them to their own encoding in exactly
// one function. A service error therefore never carries an HTTP status.
package domain
