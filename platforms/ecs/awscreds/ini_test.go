package awscreds

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	cases := []struct {
		name, in string
		want     iniSections
	}{
		{"sections and keys", "[default]\na = 1\n[profile dev]\nb=2\n",
			iniSections{"default": {"a": "1"}, "profile dev": {"b": "2"}}},
		{"comment lines", "# top\n[default]\n; semi\n  # indented\na = 1\n",
			iniSections{"default": {"a": "1"}}},
		{"comments after values need a blank before them", "[s]\na = x # note\nb = y;z\nc = u\t; note\nd = p#q\n",
			iniSections{"s": {"a": "x", "b": "y;z", "c": "u", "d": "p#q"}}},
		{"a comment after a section name", "[ profile   dev ] # the dev account\nk=v\n",
			iniSections{"profile dev": {"k": "v"}}},
		{"keys are lower-cased, section names are not", "[Dev]\nAWS_Access_Key_ID = AKID\n",
			iniSections{"Dev": {"aws_access_key_id": "AKID"}}},
		{"matching quotes are removed once", "[s]\na = \"x\"\nb = 'y'\nc = \"z'\nd = \"\"q\"\"\ne = \"\n",
			iniSections{"s": {"a": "x", "b": "y", "c": "\"z'", "d": "\"q\"", "e": "\""}}},
		{"colon assigns too, whichever comes first", "[s]\na: 1\nb = c:d\ne: f=g\n",
			iniSections{"s": {"a": "1", "b": "c:d", "e": "f=g"}}},
		{"keys before any section are ignored", "a = 1\n[s]\nb = 2\n",
			iniSections{"s": {"b": "2"}}},
		{"a value continues on indented lines", "[s]\ncredential_process = run\n  --flag\n\tmore\nnext = 1\n",
			iniSections{"s": {"credential_process": "run\n--flag\nmore", "next": "1"}}},
		{"nested keys under an empty key are not top-level", "[s]\ns3 =\n  max_concurrent_requests = 10\nregion = x\n",
			iniSections{"s": {"s3": "", "region": "x"}}},
		{"an indented key under a key with a value is a key", "[s]\na = 1\n  b = 2 # c\n",
			iniSections{"s": {"a": "1", "b": "2"}}},
		{"later values and sections win and merge", "[s]\na = 1\n[t]\n[s]\na = 2\nb = 3\n",
			iniSections{"s": {"a": "2", "b": "3"}, "t": {}}},
		{"CRLF line ends", "[s]\r\na = 1\r\n  cont\r\n",
			iniSections{"s": {"a": "1\ncont"}}},
		{"lines of no known form are skipped", "[s]\njunk\na = 1\n[broken\nb = 2\n",
			iniSections{"s": {"a": "1", "b": "2"}}},
		{"an empty section name drops its keys", "[]\na = 1\n[s]\nb = 2\n",
			iniSections{"": {}, "s": {"b": "2"}}},
		{"empty values", "[s]\na =\nb = \"\"\n",
			iniSections{"s": {"a": "", "b": ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseINI(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseINI(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzINI: the reader never panics on any file, is deterministic, and
// keeps its promises about names and keys.
func FuzzINI(f *testing.F) {
	f.Add("[default]\naws_access_key_id = AKID\naws_secret_access_key = s # c\n")
	f.Add("[ profile dev ]\ncredential_process = \"run\"\n  --more\ns3 =\n  x = 1\n")
	f.Add("a=\"\n[\n]\n[]\n  =\n\t:\n;\n#\n\r\n[s]\n'\n\"'\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		got := parseINI(in)
		if again := parseINI(in); !reflect.DeepEqual(got, again) {
			t.Fatalf("two reads differ: %q and %q", got, again)
		}
		for name, keys := range got {
			if strings.TrimSpace(name) != name || strings.ContainsAny(name, "\n#;") {
				t.Errorf("section name %q is not trimmed or holds a comment", name)
			}
			for k := range keys {
				if strings.TrimSpace(k) != k || strings.ContainsAny(k, "=\n") {
					t.Errorf("key %q in [%s] is not trimmed or holds a separator", k, name)
				}
			}
		}
	})
}
