// Package openapigen generates the daemon's OpenAPI document from the REST
// transport's route table, the endpoint tables here and the wire types of
// package api, by reflection. It runs from `go generate` and from the test
// that fails when the checked-in api/openapi.json is stale; the daemon
// itself only embeds the generated document.
package openapigen

//go:generate go test -run TestOpenAPIUpToDate . -update
