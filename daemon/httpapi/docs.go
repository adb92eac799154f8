package httpapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The part of an OpenAPI document the reference page shows. Reading the
// served document, rather than the generator's input, makes the page show
// exactly what /openapi.json says.
type (
	oaDoc struct {
		Info       struct{ Title, Version, Description string }
		Tags       []struct{ Name string }
		Paths      map[string]map[string]oaOperation
		Components struct {
			Schemas    map[string]oaSchema
			Responses  map[string]oaResponse
			Parameters map[string]oaParameter
		}
	}
	oaOperation struct {
		OperationID string
		Summary     string
		Tags        []string
		Parameters  []oaParameter
		RequestBody *oaResponse
		Responses   map[string]oaResponse
		Security    *[]map[string][]string
	}
	oaParameter struct {
		Ref         string `json:"$ref"`
		Name, In    string
		Description string
		Required    bool
		Schema      oaSchema
	}
	oaResponse struct {
		Ref         string `json:"$ref"`
		Description string
		Content     map[string]struct{ Schema oaSchema }
	}
	oaSchema struct {
		Ref                  string `json:"$ref"`
		Type                 any
		Format               string
		Enum                 []string
		Items                *oaSchema
		AdditionalProperties *oaSchema
		Properties           map[string]oaSchema
		Required             []string
		Description          string
		AnyOf                []oaSchema
	}
)

// Views of the page.
type (
	docsView struct {
		Title, Version, Description string
		Groups                      []docsGroup
		Schemas                     []docsSchema
	}
	docsGroup struct {
		Name string
		Ops  []docsOp
	}
	docsOp struct {
		ID, Method, Path, Summary, Auth string
		Params                          []docsField
		Body                            *docsBody
		Responses                       []docsBody
	}
	docsBody struct {
		Status, Description, ContentType string
		Type                             *docsType
	}
	docsField struct {
		Name, In, Description string
		Required              bool
		Type                  docsType
	}
	docsType   struct{ Text, Link string }
	docsSchema struct {
		Name, Description string
		Enum              []string
		Props             []docsField
	}
)

// renderDocs renders the reference page of an OpenAPI document.
func renderDocs(document []byte) ([]byte, error) {
	var doc oaDoc
	if err := json.Unmarshal(document, &doc); err != nil {
		return nil, err
	}
	view := docsView{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description,
		Groups: docsGroups(doc), Schemas: docsSchemas(doc)}
	return writeDocs(view), nil
}

// methodOrder lists an endpoint's operations the way a reader expects.
var methodOrder = []string{"get", "post", "put", "patch", "delete"}

func docsGroups(doc oaDoc) []docsGroup {
	groups := make([]docsGroup, len(doc.Tags))
	index := map[string]int{}
	for i, t := range doc.Tags {
		groups[i].Name, index[t.Name] = t.Name, i
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
		for _, method := range methodOrder {
			op, ok := doc.Paths[path][method]
			if !ok || len(op.Tags) == 0 {
				continue
			}
			i, known := index[op.Tags[0]]
			if !known {
				i, index[op.Tags[0]] = len(groups), len(groups)
				groups = append(groups, docsGroup{Name: op.Tags[0]})
			}
			groups[i].Ops = append(groups[i].Ops, docsOperation(doc, method, path, op))
		}
	}
	return groups
}

func docsOperation(doc oaDoc, method, path string, op oaOperation) docsOp {
	out := docsOp{ID: op.OperationID, Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Auth: authText(op.Security)}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = doc.Components.Parameters[refName(p.Ref)]
		}
		out.Params = append(out.Params, docsField{Name: p.Name, In: p.In, Description: p.Description, Required: p.Required, Type: typeText(p.Schema)})
	}
	if op.RequestBody != nil {
		body := bodyView("", *op.RequestBody)
		out.Body = &body
	}
	for _, status := range slices.Sorted(maps.Keys(op.Responses)) {
		r := op.Responses[status]
		if r.Ref != "" {
			r = doc.Components.Responses[refName(r.Ref)]
		}
		out.Responses = append(out.Responses, bodyView(status, r))
	}
	return out
}

func bodyView(status string, r oaResponse) docsBody {
	out := docsBody{Status: status, Description: r.Description}
	if types := slices.Sorted(maps.Keys(r.Content)); len(types) > 0 {
		t := typeText(r.Content[types[0]].Schema)
		out.ContentType, out.Type = types[0], &t
	}
	return out
}

func authText(security *[]map[string][]string) string {
	switch {
	case security == nil:
		return "API key"
	case len(*security) == 0:
		return "none"
	}
	return strings.Join(slices.Sorted(maps.Keys((*security)[0])), ", ")
}

func docsSchemas(doc oaDoc) []docsSchema {
	var out []docsSchema
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		s := doc.Components.Schemas[name]
		view := docsSchema{Name: name, Description: s.Description, Enum: s.Enum}
		for _, prop := range slices.Sorted(maps.Keys(s.Properties)) {
			p := s.Properties[prop]
			view.Props = append(view.Props, docsField{Name: prop, Description: p.Description,
				Required: slices.Contains(s.Required, prop), Type: typeText(p)})
		}
		out = append(out, view)
	}
	return out
}

// typeText is a one-line description of a schema, linking the component
// it names, if any.
func typeText(s oaSchema) docsType {
	switch {
	case s.Ref != "":
		return docsType{Text: refName(s.Ref), Link: "#schema-" + refName(s.Ref)}
	case len(s.AnyOf) > 0:
		parts, link := []string{}, ""
		for _, alt := range s.AnyOf {
			t := typeText(alt)
			parts, link = append(parts, t.Text), cmp.Or(link, t.Link)
		}
		return docsType{Text: strings.Join(parts, " or "), Link: link}
	case s.Items != nil:
		t := typeText(*s.Items)
		return docsType{Text: "array of " + t.Text, Link: t.Link}
	case s.AdditionalProperties != nil:
		t := typeText(*s.AdditionalProperties)
		return docsType{Text: "map of " + t.Text, Link: t.Link}
	}
	return docsType{Text: scalarText(s)}
}

func scalarText(s oaSchema) string {
	var text string
	switch t := s.Type.(type) {
	case string:
		text = t
	case []any:
		var parts []string
		for _, p := range t {
			parts = append(parts, fmt.Sprint(p))
		}
		text = strings.Join(parts, " or ")
	default:
		return "any JSON"
	}
	if s.Format != "" {
		text += " (" + s.Format + ")"
	}
	if len(s.Enum) > 0 {
		text += ": " + strings.Join(s.Enum, ", ")
	}
	return text
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }
