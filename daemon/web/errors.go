package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/store"
)

var sprintf = fmt.Sprintf

// problem is how the console shows an error: a status and a sentence for
// a person.
type problem struct {
	Status int
	Title  string
	Detail string
}

// problemFor maps any error to what the console shows: the one place where
// the console turns errors into statuses, as problemFor is for the REST
// API. Unknown errors are 500s whose causes stay in the log.
func problemFor(err error) problem {
	var (
		inv *domain.InvalidError
		bad *domain.BadRequestError
		nf  *domain.NotFoundError
		cf  *domain.ConflictError
		te  *domain.TransitionError
		ee  *domain.EndedError
		le  *domain.LimitError
		ce  *domain.CapacityError
		de  *domain.DuplicateError
		fe  *forbiddenError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &fe):
		return problem{http.StatusForbidden, "Refused", fe.detail}
	case errors.As(err, &inv):
		return problem{http.StatusUnprocessableEntity, "Invalid input", fieldList(inv)}
	case errors.As(err, &bad):
		return problem{http.StatusBadRequest, "Bad request", bad.Detail}
	case errors.As(err, &mbe):
		return problem{http.StatusRequestEntityTooLarge, "Too large", "the form is larger than the console accepts"}
	case errors.As(err, &nf):
		return problem{http.StatusNotFound, "Not found", upperFirst(nf.Error()) + "."}
	case errors.As(err, &te):
		return problem{http.StatusConflict, "Not possible now", upperFirst(te.Error()) + "."}
	case errors.As(err, &cf):
		return problem{http.StatusConflict, "Not possible now", upperFirst(cf.Detail) + "."}
	case errors.As(err, &ee):
		return problem{http.StatusGone, "Ended", upperFirst(ee.Error()) + "."}
	case errors.As(err, &le):
		return problem{http.StatusTooManyRequests, "Limit reached", upperFirst(le.Detail) + "."}
	case errors.As(err, &ce):
		return problem{http.StatusConflict, "Booked out", upperFirst(ce.Error()) + "."}
	case errors.As(err, &de):
		return problem{http.StatusConflict, "Already in this meeting", upperFirst(de.Error()) + "."}
	case errors.Is(err, account.ErrBadKey):
		return problem{http.StatusUnauthorized, "Not signed in", "That API key is unknown, revoked or expired."}
	case errors.Is(err, session.ErrBadLink):
		return problem{http.StatusGone, "Link not valid", "This sign-in link is unknown, already used or expired. Run meeboter open again for a new one, or sign in with an API key."}
	case errors.Is(err, store.ErrUnavailable):
		return problem{http.StatusServiceUnavailable, "Unavailable", "The database is unavailable. Try again in a few seconds."}
	case errors.Is(err, store.ErrQuotaExceeded):
		return problem{http.StatusTooManyRequests, "Daily limit reached", "You have used today's bots; the limit resets at midnight UTC."}
	case errors.Is(err, store.ErrNotFound):
		return problem{http.StatusNotFound, "Not found", "There is nothing here."}
	case errors.Is(err, store.ErrConflict):
		return problem{http.StatusConflict, "Not possible now", "It is not in a state that allows this."}
	}
	return problem{http.StatusInternalServerError, "Something went wrong", "The daemon could not do this; the error is in its log."}
}

// describe is an error as one sentence, for a flash message.
func describe(err error) string {
	return problemFor(err).Detail
}

func fieldList(inv *domain.InvalidError) string {
	parts := make([]string, 0, len(inv.Fields))
	for _, f := range inv.Fields {
		parts = append(parts, f.Field+" "+f.Message)
	}
	return strings.Join(parts, "; ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fail shows an error page, logging 5xx with their cause at error and the
// rest at debug.
func (c *Console) fail(v *visit, err error) {
	p := problemFor(err)
	level := slog.LevelDebug
	if p.Status >= 500 && v.r.Context().Err() == nil {
		level = slog.LevelError
	}
	c.log.Log(v.r.Context(), level, "console request failed", "method", v.r.Method, "path", v.r.URL.Path, "status", p.Status, "err", err)
	c.render(v, view{page: "error", title: p.Title, status: p.Status, data: p})
}

func asInvalid(err error) (*domain.InvalidError, bool) {
	var inv *domain.InvalidError
	ok := errors.As(err, &inv)
	return inv, ok
}
