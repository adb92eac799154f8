package domain

import (
	"fmt"
	"time"

	"github.com/meeboter/meeboter/store"
)

// CapacityError is a scheduled bot refused because every platform is
// booked for its window. EarliestJoin is the earliest join time whose
// window has room (nil: none has). It matches
// store.ErrCapacityUnavailable.
type CapacityError struct {
	EarliestJoin *time.Time
}

func (e *CapacityError) Error() string {
	if e.EarliestJoin == nil {
		return "every platform is booked for this window, and no later window has room"
	}
	return fmt.Sprintf("every platform is booked for this window; the earliest free start is %s",
		e.EarliestJoin.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, store.ErrCapacityUnavailable) hold.
func (e *CapacityError) Is(target error) bool { return target == store.ErrCapacityUnavailable }
