package daemon

import (
	"errors"
	"strconv"

	"github.com/meeboter/meeboter/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func itoa(i int) string { return strconv.Itoa(i) }
