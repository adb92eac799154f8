package openapigen

import (
	"regexp"
	"strings"
)

// pathWord is a static segment of a path; singular when the next segment
// is a wildcard ("bots/{id}" names one bot).
type pathWord struct {
	name     string
	singular bool
}

var versionSegment = regexp.MustCompile(`^v[0-9]+$`)

// pathWords are a path's static segments, without its version prefix.
func pathWords(path string) []pathWord {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var out []pathWord
	for i, seg := range segs {
		if _, ok := wildcard(seg); ok || seg == "" || (i == 0 && versionSegment.MatchString(seg)) {
			continue
		}
		next := ""
		if i+1 < len(segs) {
			next = segs[i+1]
		}
		_, beforeWildcard := wildcard(next)
		out = append(out, pathWord{name: seg, singular: beforeWildcard})
	}
	return out
}

// operationID derives a stable camelCase id from the method and path alone,
// so renaming a Go handler never changes the API's ids: GET listings are
// list…, other GETs get…, a POST to a collection create… (its last noun
// singular), other POSTs post…, PATCH update…, PUT replace…, DELETE
// delete…; the nouns follow the path. GET /v1/bots/{id}/events is
// listBotEvents, POST /v1/bots createBot, POST /v1/bots/{id}/cancel
// postBotCancel.
func operationID(method, path string, list, collection bool) string {
	words := pathWords(path)
	verb := strings.ToLower(method)
	switch {
	case method == "GET" && list:
		verb = "list"
	case method == "POST" && collection && len(words) > 0:
		verb = "create"
		words[len(words)-1].singular = true
	case method == "PATCH":
		verb = "update"
	case method == "PUT":
		verb = "replace"
	}
	var b strings.Builder
	b.WriteString(verb)
	for _, w := range words {
		name := w.name
		if w.singular {
			name = singular(name)
		}
		for part := range strings.FieldsFuncSeq(name, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// singular is the English singular of the API's plural nouns, which all
// end in a plain s.
func singular(noun string) string {
	if strings.HasSuffix(noun, "s") && !strings.HasSuffix(noun, "ss") {
		return noun[:len(noun)-1]
	}
	return noun
}

// collectionPaths are the paths with a GET listing: a POST to one of them
// creates an item.
func collectionPaths(endpoints []endpoint) map[string]bool {
	out := map[string]bool{}
	for _, e := range endpoints {
		if method, path, _ := strings.Cut(e.pattern, " "); method == "GET" && isList(e.out) {
			out[path] = true
		}
	}
	return out
}
