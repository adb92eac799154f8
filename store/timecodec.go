package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// timeCol scans a timestamp from either engine into a UTC time: pgx gives a
// time.Time, SQLite the fixed-width text the store wrote.
type timeCol struct{ dst *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	t, ok, err := parseTime(src)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("store: NULL in a NOT NULL time column")
	}
	*c.dst = t
	return nil
}

// nullTimeCol scans an optional timestamp; NULL becomes a nil pointer.
type nullTimeCol struct{ dst **time.Time }

// Scan implements sql.Scanner.
func (c nullTimeCol) Scan(src any) error {
	t, ok, err := parseTime(src)
	if err != nil {
		return err
	}
	*c.dst = nil
	if ok {
		*c.dst = &t
	}
	return nil
}

func parseTime(src any) (time.Time, bool, error) {
	var s string
	switch v := src.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return v.UTC(), true, nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return time.Time{}, false, fmt.Errorf("store: cannot scan %T as a time", src)
	}
	t, err := time.Parse(sqliteTimeLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: bad time %q: %w", s, err)
	}
	return t.UTC(), true, nil
}

// msCol scans a millisecond count into a duration.
type msCol struct{ dst *time.Duration }

// Scan implements sql.Scanner.
func (c msCol) Scan(src any) error {
	v, ok := src.(int64)
	if !ok && src != nil {
		return fmt.Errorf("store: cannot scan %T as milliseconds", src)
	}
	*c.dst = time.Duration(v) * time.Millisecond
	return nil
}

// ms encodes a duration as whole milliseconds.
func ms(d time.Duration) int64 { return d.Milliseconds() }

// strCol scans a text column that may be NULL; NULL becomes "".
type strCol struct{ dst *string }

// Scan implements sql.Scanner.
func (c strCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = ""
	case string:
		*c.dst = v
	case []byte:
		*c.dst = string(v)
	default:
		return fmt.Errorf("store: cannot scan %T as text", src)
	}
	return nil
}

// idCol scans an id column that may be NULL; NULL becomes a nil pointer.
type idCol struct{ dst **int64 }

// Scan implements sql.Scanner.
func (c idCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = nil
	case int64:
		*c.dst = &v
	default:
		return fmt.Errorf("store: cannot scan %T as an id", src)
	}
	return nil
}

// nullStr encodes "" as NULL, for columns where absence is NULL (resource
// identifiers, token hashes) so unique and partial indexes skip them.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// jsonCol scans a JSON column (jsonb or TEXT) into dst; NULL leaves dst as is.
type jsonCol struct{ dst any }

// Scan implements sql.Scanner.
func (c jsonCol) Scan(src any) error {
	b, err := jsonBytes(src)
	if err != nil || b == nil {
		return err
	}
	return json.Unmarshal(b, c.dst)
}

// rawCol scans a JSON column into a json.RawMessage; NULL gives nil.
type rawCol struct{ dst *json.RawMessage }

// Scan implements sql.Scanner.
func (c rawCol) Scan(src any) error {
	b, err := jsonBytes(src)
	if err != nil {
		return err
	}
	*c.dst = nil
	if b != nil {
		*c.dst = append(json.RawMessage(nil), b...)
	}
	return nil
}

func jsonBytes(src any) ([]byte, error) {
	switch v := src.(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	default:
		return nil, fmt.Errorf("store: cannot scan %T as JSON", src)
	}
}

// jsonArg encodes v as JSON text, for jsonb and TEXT columns alike.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode json: %w", err)
	}
	return string(b), nil
}

// rawArg passes raw JSON through, NULL when empty.
func rawArg(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}
