package api

import _ "embed"

// OpenAPIDocument is the OpenAPI 3.1 description of the daemon's HTTP API,
// generated from the daemon's route table and the types of this package.
// It lives here rather than in the daemon because go:embed reaches only
// files at or below the embedding package; `go generate ./daemon` rewrites
// it, and a daemon test fails while it is stale.
//
//go:embed openapi.json
var OpenAPIDocument []byte
