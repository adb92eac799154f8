package store

import (
	"strconv"
	"strings"
	"time"
)

// dialect holds every difference between the two engines' SQL. Queries are
// written once with ? placeholders; the few clauses that differ come from
// here, so a reader sees the whole dialect surface in one file.
type dialect struct {
	name     string // "sqlite" or "postgres"
	postgres bool
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres", postgres: true}
)

// Advisory lock keys. They are arbitrary constants; they only have to differ
// from each other and from any other application sharing the database.
const (
	admissionLockKey    int64 = 0x6d65_6562_6f74_01 // capacity and queue
	migrationLockKey    int64 = 0x6d65_6562_6f74_02 // schema changes
	quotaLockClass      int32 = 0x6d65_6501         // per-user daily quota, with the user id
	deployTurnLockClass int32 = 0x6d65_6502         // deploy turns, with a hash of the scope
)

// rebind turns ? placeholders into $1, $2, ... for PostgreSQL. Queries never
// contain a literal question mark, so no quoting rules are needed.
func (d dialect) rebind(q string) string {
	if !d.postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] != '?' {
			b.WriteByte(q[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// skipLocked is appended to the sub-select of a claim so that concurrent
// claimers on PostgreSQL pass over rows another transaction holds instead of
// waiting for them and then finding them taken. SQLite has one writer, so a
// claim never races there.
func (d dialect) skipLocked() string {
	if d.postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// forUpdate ends a SELECT that locks the rows it reads until the
// transaction ends. SQLite has no row locks and needs none: its one writer
// excludes every other.
func (d dialect) forUpdate() string {
	if d.postgres {
		return " FOR UPDATE"
	}
	return ""
}

// jsonTextAt is the element at index (an integer expression, from 0) of
// the JSON array arg, as text; NULL past its end. It lets one statement
// take a list from a single parameter on both engines.
func (d dialect) jsonTextAt(arg, index string) string {
	if d.postgres {
		return "(CAST(" + arg + " AS jsonb) ->> CAST(" + index + " AS integer))"
	}
	return "(" + arg + " ->> (" + index + "))"
}

// metadataMatch is a condition on bots.metadata with two placeholders, key
// and value. SQLite uses json_each rather than a JSON path so that keys with
// dots or quotes need no escaping.
func (d dialect) metadataMatch() string {
	if d.postgres {
		return "metadata->>? = ?"
	}
	return "EXISTS (SELECT 1 FROM json_each(bots.metadata) AS m WHERE m.key = ? AND m.value = ?)"
}

// tableExists is a query with one placeholder, the table name, returning one
// count. PostgreSQL's to_regclass follows search_path, as the store does.
func (d dialect) tableExists() string {
	if d.postgres {
		return "SELECT count(*) FROM (SELECT to_regclass(?) AS t) x WHERE t IS NOT NULL"
	}
	return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
}

// timeType is the column type of a timestamp, for tables the store creates
// itself.
func (d dialect) timeType() string {
	if d.postgres {
		return "timestamptz"
	}
	return "TEXT"
}

// sqliteTimeLayout is fixed width (always six fraction digits, always Z) so
// that SQLite's string comparison orders times correctly.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

// greatest is the function of the larger of its arguments: SQLite's
// two-argument max, PostgreSQL's GREATEST.
func (d dialect) greatest() string {
	if d.postgres {
		return "GREATEST"
	}
	return "MAX"
}

// jsonObjectAgg names the aggregate making a JSON object of key and value
// columns.
func (d dialect) jsonObjectAgg() string {
	if d.postgres {
		return "json_object_agg"
	}
	return "json_group_object"
}

// at encodes a time for a query argument: UTC, truncated to microseconds
// (PostgreSQL's precision, so both engines return what was written), and on
// SQLite as fixed-width text.
func (d dialect) at(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d.postgres {
		return t
	}
	return t.Format(sqliteTimeLayout)
}

// atp is at for an optional time; nil stays NULL.
func (d dialect) atp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.at(*t)
}
