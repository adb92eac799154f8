package openapigen

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
)

// Build generates the OpenAPI 3.1 document of the daemon's HTTP API
// from its route table and wire types. The output is deterministic (maps
// are written with sorted keys, lists in route order), so the checked-in
// api/openapi.json can be compared byte for byte with a fresh build.
func Build() ([]byte, error) {
	b := docBuilder{schemas: newSchemaSet(), paths: obj{}, ids: map[string]string{}}
	endpoints := documentedEndpoints()
	b.collections = collectionPaths(endpoints)
	for _, e := range endpoints {
		if err := b.add(e); err != nil {
			return nil, err
		}
	}
	b.schemas.of(reflect.TypeFor[api.Problem]())
	if b.schemas.err != nil {
		return nil, b.schemas.err
	}
	out, err := json.MarshalIndent(b.document(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// docBuilder accumulates paths, the schemas they use and operation ids.
type docBuilder struct {
	schemas     *schemaSet
	paths       obj
	ids         map[string]string // operation id → pattern, to refuse duplicates
	tags        []string          // in order of first use
	collections map[string]bool   // paths that also answer a GET listing
}

func (b *docBuilder) add(e endpoint) error {
	method, path, ok := strings.Cut(e.pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("openapi: route %q has no method", e.pattern)
	}
	id := operationID(method, path, isList(e.out), b.collections[path])
	if prev, dup := b.ids[id]; dup {
		return fmt.Errorf("openapi: routes %q and %q both get operation id %q", prev, e.pattern, id)
	}
	b.ids[id] = e.pattern
	item, _ := b.paths[openAPIPath(path)].(obj)
	if item == nil {
		item = obj{}
		b.paths[openAPIPath(path)] = item
	}
	item[strings.ToLower(method)] = b.operation(e, id, path)
	return nil
}

func (b *docBuilder) operation(e endpoint, id, path string) obj {
	op := obj{
		"operationId": id,
		"summary":     e.summary,
		"tags":        []string{b.tag(e, path)},
		"responses":   e.responses(b.schemas),
	}
	if params := e.parameters(); len(params) > 0 {
		op["parameters"] = params
	}
	if body := e.requestBody(b.schemas); body != nil {
		op["requestBody"] = body
	}
	switch e.auth {
	case authBotToken:
		op["security"] = []any{obj{"botToken": []string{}}}
	case authNone:
		op["security"] = []any{}
	}
	return op
}

// tag groups an operation by the first segment of its path after the
// version, unless the endpoint names its group.
func (b *docBuilder) tag(e endpoint, path string) string {
	tag := e.tag
	if tag == "" {
		if words := pathWords(path); len(words) > 0 {
			tag = words[0].name
		}
	}
	for _, t := range b.tags {
		if t == tag {
			return tag
		}
	}
	b.tags = append(b.tags, tag)
	return tag
}

// openAPIPath writes a ServeMux path as an OpenAPI path template: the
// same braces, without the "..." of rest wildcards and the {$} anchor.
func openAPIPath(path string) string {
	path = strings.ReplaceAll(path, "...}", "}")
	return strings.TrimSuffix(path, "{$}")
}

func (b *docBuilder) document() obj {
	tags := make([]any, len(b.tags))
	for i, t := range b.tags {
		tags[i] = obj{"name": t}
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "meeboter API",
			"version":     "1",
			"description": apiDescription,
		},
		"servers":  []any{obj{"url": "/", "description": "The daemon serving this document."}},
		"tags":     tags,
		"paths":    b.paths,
		"security": []any{obj{"apiKey": []string{}}, obj{"apiKeyHeader": []string{}}},
		"components": obj{
			"schemas":         b.schemas.components,
			"responses":       responseComponents(),
			"parameters":      parameterComponents(),
			"securitySchemes": securitySchemes(),
		},
	}
}

const apiDescription = "The HTTP API of a meeboter daemon: create meeting bots, follow them, and manage keys, users and chat.\n\n" +
	"Errors are RFC 9457 problem documents (application/problem+json) whose `code` is stable. " +
	"Listings are paged: pass a page's `nextCursor` as `cursor` for the next one. " +
	"Every POST accepts an `Idempotency-Key` header, except those whose answer holds a secret shown once."

func securitySchemes() obj {
	return obj{
		"apiKey": obj{"type": "http", "scheme": "bearer",
			"description": "An API key (" + domain.KeyPrefix + "...) as Authorization: Bearer <key>."},
		"apiKeyHeader": obj{"type": "apiKey", "in": "header", "name": "x-api-key",
			"description": "An API key in the x-api-key header, as callers of the original server send it."},
		"botToken": obj{"type": "http", "scheme": "bearer",
			"description": "The token (" + domain.BotTokenPrefix + "...) the daemon gives each bot it deploys."},
	}
}
