package awscreds

import "strings"

// iniSections is a parsed ~/.aws file: section name → key → value.
//
// The SDK's reader lives in aws-sdk-go-v2/config/internal/ini, which cannot
// be imported, so this one reads the files the way it does, line by line,
// where it matters for credentials:
//
//   - A line whose first non-blank character is # or ; is a comment.
//   - [name] opens a section; anything after a # or ; on that line is
//     dropped, and "[ profile   x ]" is the section "profile x".
//   - key = value (or key: value) sets a key; keys are lower-cased, names
//     of sections are not. A # or ; after a blank ends the value, and one
//     pair of matching quotes around it is removed.
//   - An indented key = value under a key with an empty value belongs to
//     that key (the config file's nested "s3 =" blocks) and is ignored
//     here; under a key with a value it is an ordinary key.
//   - Any other indented line continues the value before it, after a
//     newline.
//   - Keys before the first section, and lines of no known form, are
//     ignored; a section or key given twice takes the last value.
//
// Lines may end in \r\n as well as \n.
type iniSections map[string]map[string]string

// parseINI reads a whole file. It never fails: what is not understood is
// skipped, as the SDK does, so a stray line cannot lock a user out.
func parseINI(data string) iniSections {
	p := iniParser{sections: iniSections{}}
	for line := range strings.SplitSeq(data, "\n") {
		p.line(strings.TrimSuffix(line, "\r"))
	}
	return p.sections
}

type iniParser struct {
	sections iniSections
	section  string // current section; "" before the first, or after "[]"
	key      string // last key set in the section, for continuations
}

func (p *iniParser) line(line string) {
	trimmed := strings.TrimLeft(line, " \t")
	if strings.TrimSpace(line) == "" || trimmed[0] == '#' || trimmed[0] == ';' {
		return
	}
	if name, ok := sectionName(line); ok {
		p.section, p.key = name, ""
		if p.sections[name] == nil {
			p.sections[name] = map[string]string{}
		}
		return
	}
	indented := line[0] == ' ' || line[0] == '\t'
	if !indented {
		if k, v, ok := splitKeyValue(cutValueComment(line)); ok {
			p.set(strings.ToLower(k), unquote(v))
		}
		return
	}
	if k, v, ok := splitKeyValue(trimmed); ok {
		p.subKey(strings.ToLower(k), unquote(v))
		return
	}
	p.continuation(trimmed)
}

func (p *iniParser) set(key, value string) {
	if p.section == "" {
		return
	}
	p.key = key
	p.sections[p.section][key] = value
}

// subKey handles an indented key = value: nested under an empty key, an
// ordinary key otherwise.
func (p *iniParser) subKey(key, value string) {
	if p.section == "" {
		return
	}
	if p.key == "" || p.sections[p.section][p.key] != "" {
		p.set(key, strings.TrimSpace(cutValueComment(value)))
	}
}

func (p *iniParser) continuation(text string) {
	if p.section == "" || p.key == "" {
		return
	}
	if v := p.sections[p.section][p.key]; v != "" {
		p.sections[p.section][p.key] = v + "\n" + text
	}
}

// sectionName recognises "[name]" and normalises its blanks.
func sectionName(line string) (string, bool) {
	s := line
	if i := strings.IndexAny(s, "#;"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return "", false
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, true
	}
	return s[:i] + " " + strings.TrimLeft(s[i:], " \t"), true
}

// cutValueComment drops a comment that follows a blank.
func cutValueComment(s string) string {
	for _, sep := range []string{" #", " ;", "\t#", "\t;"} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	return s
}

// splitKeyValue splits at the first = or :, whichever comes first.
func splitKeyValue(s string) (key, value string, ok bool) {
	i := strings.IndexAny(s, "=:")
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
}

// unquote removes one pair of matching quotes. A lone quote stays as it
// is (the SDK's reader panics on it).
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
