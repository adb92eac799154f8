package lifecycle

import (
	"cmp"
	"context"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// AdmissionStats says how the owner's bots created from from to to fared
// in the meetings' waiting rooms.
func (s *Service) AdmissionStats(ctx context.Context, owner int64, from, to time.Time) (api.AdmissionStats, error) {
	v := &domain.Validator{}
	v.Check(to.After(from), "to", "must be after from")
	v.Check(to.Sub(from) <= 92*24*time.Hour, "to", "the range may span at most 92 days")
	if err := v.Err(); err != nil {
		return api.AdmissionStats{}, err
	}
	samples, err := s.store.AdmissionSamples(ctx, owner, from, to)
	if err != nil {
		return api.AdmissionStats{}, err
	}
	now := s.now()
	total, byMeeting, byHost := &tally{}, map[string]*tally{}, map[string]*tally{}
	for _, a := range samples {
		o := outcomeOf(a, now)
		total.add(o)
		group(byMeeting, cmp.Or(a.Meeting.Platform, "unknown")).add(o)
		group(byHost, hostOf(a.Meeting.URL)).add(o)
	}
	return api.AdmissionStats{From: from.UTC(), To: to.UTC(), Total: total.group("all"),
		MeetingPlatforms: groups(byMeeting), Hosts: groups(byHost)}, nil
}

// outcome is one bot's way in: let in, timed out, refused or still
// waiting, and how long it waited (nil: it never reached a waiting room
// nor the call).
type outcome struct {
	admitted, timedOut, refused, waiting bool
	wait                                 *time.Duration
}

// refusals are the end reasons (the bots' FATAL sub codes) that mean the
// host or the meeting turned the bot away.
var refusals = []string{"REFUSED", "DENIED", "REJECT", "NOT_ADMITTED", "REMOVED", "KICKED"}

func outcomeOf(a store.AdmissionSample, now time.Time) outcome {
	var o outcome
	reason := strings.ToUpper(a.EndReason)
	switch {
	case a.InCallAt != nil:
		o.admitted = true
	case !a.Status.Terminal():
		o.waiting = a.Status == api.StatusInWaitingRoom
	case strings.Contains(reason, "WAITING_ROOM") && strings.Contains(reason, "TIMEOUT"):
		o.timedOut = true
	case slices.ContainsFunc(refusals, func(r string) bool { return strings.Contains(reason, r) }):
		o.refused = true
	}
	switch {
	case a.WaitingAt != nil:
		end := now
		if a.InCallAt != nil {
			end = *a.InCallAt
		} else if a.EndedAt != nil {
			end = *a.EndedAt
		}
		d := max(0, end.Sub(*a.WaitingAt))
		o.wait = &d
	case a.InCallAt != nil:
		var d time.Duration
		o.wait = &d
	}
	return o
}

// hostOf is a meeting URL's host name, the meeting host's domain.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return "unknown"
	}
	return strings.ToLower(u.Hostname())
}

type tally struct {
	bots, admitted, timedOut, refused, waiting int
	waits                                      []time.Duration
}

func group(m map[string]*tally, key string) *tally {
	if m[key] == nil {
		m[key] = &tally{}
	}
	return m[key]
}

func (t *tally) add(o outcome) {
	t.bots++
	t.admitted += b2i(o.admitted)
	t.timedOut += b2i(o.timedOut)
	t.refused += b2i(o.refused)
	t.waiting += b2i(o.waiting)
	if o.wait != nil {
		t.waits = append(t.waits, *o.wait)
	}
}

func (t *tally) group(key string) api.AdmissionGroup {
	g := api.AdmissionGroup{Key: key, Bots: t.bots, Admitted: t.admitted, TimedOut: t.timedOut, Refused: t.refused, Waiting: t.waiting}
	if t.bots > 0 {
		g.AdmittedShare = share(t.admitted, t.bots)
		g.TimedOutShare = share(t.timedOut, t.bots)
		g.RefusedShare = share(t.refused, t.bots)
	}
	if len(t.waits) > 0 {
		slices.Sort(t.waits)
		g.WaitP50Seconds = nearestRank(t.waits, 0.5).Seconds()
		g.WaitP90Seconds = nearestRank(t.waits, 0.9).Seconds()
	}
	return g
}

func groups(m map[string]*tally) []api.AdmissionGroup {
	out := []api.AdmissionGroup{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k].group(k))
	}
	return out
}

func share(n, of int) float64 { return math.Round(float64(n)/float64(of)*1e4) / 1e4 }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nearestRank is the nearest-rank q-quantile of sorted durations.
func nearestRank(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
