package daemon_test

import (
	"errors"

	"github.com/meeboter/meeboter/api"
)

func asAPIError(err error, target **api.Error) bool { return errors.As(err, target) }
