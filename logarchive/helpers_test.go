package logarchive_test

import (
	"strconv"

	"github.com/meeboter/meeboter/logarchive"
)

// Entry is short for the package's type in these tests.
type Entry = logarchive.Entry

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
