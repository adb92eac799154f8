package web

import (
	"time"

	"github.com/meeboter/meeboter/internal/htmlw"
)

// doc is a console page being written: markup only from constant
// strings in this package, every value escaped (see internal/htmlw,
// which says why pages are Go functions rather than templates).
type doc struct {
	htmlw.Writer
	now time.Time // for "5 min ago"
}

// sel is ` selected` when on, for an option.
func sel(on bool) htmlw.Markup {
	if on {
		return " selected"
	}
	return ""
}

// checked is ` checked` when on, for a checkbox.
func checked(on bool) htmlw.Markup {
	if on {
		return " checked"
	}
	return ""
}

// hidden is ` hidden` when on.
func hidden(on bool) htmlw.Markup {
	if on {
		return " hidden"
	}
	return ""
}

// invalid is ` aria-invalid="true"` when the field has an error.
func invalid(msg string) htmlw.Markup {
	if msg != "" {
		return ` aria-invalid="true"`
	}
	return ""
}

// or is s, or dflt when s is empty.
func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
