package openapigen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/daemon/httpapi"
)

var routePattern = regexp.MustCompile(`^(GET|HEAD|POST|PUT|PATCH|DELETE) /`)

// registeredPatterns reads every route pattern written in routes.go: the
// user API, the agent API, the streams, health and the document itself.
// Reading the source catches a route registered by hand and forgotten in
// the document, which no table could.
func registeredPatterns(t *testing.T) map[string]bool {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "../routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && routePattern.MatchString(s) {
				out[s] = true
			}
		}
		return true
	})
	return out
}

// undocumented are the routes that serve the description itself.
var undocumented = map[string]bool{"GET /openapi.json": true, "GET /docs": true}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	ops := operations(generated(t))
	want := registeredPatterns(t)
	for p := range undocumented {
		if !want[p] {
			t.Errorf("routes.go no longer registers %s", p)
		}
		delete(want, p)
	}
	for _, rt := range httpapi.RouteDocs() {
		if !want[rt.Pattern] {
			t.Errorf("user route %s is not written in routes.go", rt.Pattern)
		}
		if got := ops[rt.Pattern]["summary"]; got != rt.Summary {
			t.Errorf("%s: summary %q, the route table says %q", rt.Pattern, got, rt.Summary)
		}
	}
	for _, e := range agentEndpoints() {
		if !want[e.pattern] {
			t.Errorf("agent endpoint %s is not registered in routes.go", e.pattern)
		}
	}
	if got, w := slices.Sorted(maps.Keys(ops)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
		t.Errorf("the document's operations differ from the routes:\n  document: %v\n  routes:   %v", got, w)
	}
}

// TestOpenAPITablesNameRoutes keeps the hand-written tables honest: each
// names a route that exists, so a renamed route cannot leave one behind.
func TestOpenAPITablesNameRoutes(t *testing.T) {
	doc := generated(t)
	ops := operations(doc)
	tables := map[string][]string{
		"createdRoutes":   slices.Collect(maps.Keys(createdRoutes)),
		"conflictRoutes":  slices.Collect(maps.Keys(conflictRoutes)),
		"unpagedListings": slices.Collect(maps.Keys(unpagedListings)),
		"filterParams":    slices.Collect(maps.Keys(filterParams)),
	}
	for table, patterns := range tables {
		for _, p := range patterns {
			if ops[p] == nil {
				t.Errorf("%s names %s, which is not a route", table, p)
			}
		}
	}
	for table, keys := range map[string][]string{"fieldEnums": slices.Collect(maps.Keys(fieldEnums)), "fieldLimits": slices.Collect(maps.Keys(fieldLimits))} {
		for _, key := range keys {
			typ, member, _ := strings.Cut(key, ".")
			if get(doc, "components", "schemas", typ, "properties", member) == nil {
				t.Errorf("%s names %s, which is not a member of a documented type", table, key)
			}
		}
	}
}
