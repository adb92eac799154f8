package web

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// botsPageSize is how many bots the list shows at once.
const botsPageSize = 50

// botsData fills the Bots page.
type botsData struct {
	Bots      []api.Bot
	Filter    botFilter
	Errors    map[string]string
	Statuses  []api.BotStatus
	Platforms []string
	Sorts     [][2]string
	Older     string // the next page's URL, or ""
	Back      string // this page's URL, for the bulk form to return to
	Filtered  bool
}

// botFilter is the filter form as the person filled it in.
type botFilter struct {
	Status   map[api.BotStatus]bool
	Platform string
	Metadata string
	Sort     string
	Cursor   string
}

var (
	meetingPlatforms = []string{api.MeetingGoogleMeet, api.MeetingMicrosoftTeams, api.MeetingZoom}
	botSorts         = [][2]string{{"newest", "Newest first"}, {"oldest", "Oldest first"}, {"status", "Status"}, {"name", "Name"}}
)

// parseBotFilter reads the filter form into the store's filter, with an
// error per bad field to show beside it.
func parseBotFilter(q url.Values, userID int64) (botFilter, store.BotFilter, error) {
	bf := botFilter{Status: map[api.BotStatus]bool{}, Platform: q.Get("platform"), Metadata: strings.TrimSpace(q.Get("metadata")), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	f := store.BotFilter{UserID: userID, Limit: botsPageSize, Metadata: map[string]string{}}
	v := &domain.Validator{}
	for _, st := range q["status"] {
		v.Check(api.BotStatus(st).Valid(), "status", "%q is not a bot status", st)
		bf.Status[api.BotStatus(st)] = true
		f.Statuses = append(f.Statuses, api.BotStatus(st))
	}
	v.Check(bf.Platform == "" || slices.Contains(meetingPlatforms, bf.Platform), "platform", "must be one of %s", strings.Join(meetingPlatforms, ", "))
	f.MeetingPlatform = bf.Platform
	for _, kv := range strings.Split(bf.Metadata, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, val, ok := strings.Cut(kv, "=")
		v.Check(ok && strings.TrimSpace(k) != "", "metadata", "write key=value, several separated by commas")
		f.Metadata[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	v.Check(bf.Sort == "" || slices.ContainsFunc(botSorts, func(s [2]string) bool { return s[0] == bf.Sort }), "sort", "is not a sort order")
	if bf.Cursor != "" {
		id, err := strconv.ParseInt(bf.Cursor, 10, 64)
		v.Check(err == nil && id > 0, "cursor", "is not a page of this list")
		f.BeforeID = id
	}
	return bf, f, v.Err()
}

// botsPage lists the caller's bots, newest first a page at a time, and
// the script keeps each row's status current.
func (c *Console) botsPage(v *visit) (result, error) {
	q := v.r.URL.Query()
	bf, f, err := parseBotFilter(q, v.caller().User.ID)
	d := botsData{Filter: bf, Statuses: api.AllStatuses, Platforms: meetingPlatforms, Sorts: botSorts, Back: v.r.URL.RequestURI(),
		Filtered: len(f.Statuses) > 0 || f.MeetingPlatform != "" || len(f.Metadata) > 0}
	if err != nil {
		d.Errors = fieldErrors(err)
		return view{page: "bots", title: "Bots", nav: "bots", status: 422, data: d}, nil
	}
	bots, err := c.svc.Life.List(v.r.Context(), f)
	if err != nil {
		return nil, err
	}
	if d.Bots, err = c.withQueue(v, wire.Map(bots, wire.Bot)); err != nil {
		return nil, err
	}
	sortBots(d.Bots, bf.Sort)
	if len(bots) == botsPageSize {
		next := cloneValues(q)
		next.Set("cursor", strconv.FormatInt(bots[len(bots)-1].ID, 10))
		d.Older = "/bots?" + next.Encode()
	}
	return view{page: "bots", title: "Bots", nav: "bots", data: d}, nil
}

// withQueue adds queue positions and wait estimates to the queued bots,
// from one read of the queue.
func (c *Console) withQueue(v *visit, bots []api.Bot) ([]api.Bot, error) {
	if !slices.ContainsFunc(bots, func(b api.Bot) bool { return b.Status == api.StatusQueued }) {
		return bots, nil
	}
	items, err := c.svc.Life.Queue(v.r.Context(), v.caller().User.ID)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		for i := range bots {
			if bots[i].ID == it.BotID {
				bots[i].QueuePosition, bots[i].EstimatedWaitSeconds = it.Position, int64(it.EstimatedWait.Seconds())
			}
		}
	}
	return bots, nil
}

// sortBots orders one page; the list itself pages newest first.
func sortBots(bots []api.Bot, by string) {
	order := map[string]func(a, b api.Bot) int{
		"oldest": func(a, b api.Bot) int { return cmp.Compare(a.ID, b.ID) },
		"status": func(a, b api.Bot) int {
			return slices.Index(api.AllStatuses, a.Status) - slices.Index(api.AllStatuses, b.Status)
		},
		"name": func(a, b api.Bot) int {
			return strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName))
		},
	}[by]
	if order != nil {
		slices.SortStableFunc(bots, order)
	}
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// fieldErrors indexes an invalid-input error by field, for forms to show
// each message beside its input.
func fieldErrors(err error) map[string]string {
	inv, ok := asInvalid(err)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, f := range inv.Fields {
		if out[f.Field] != "" {
			out[f.Field] += "; "
		}
		out[f.Field] += f.Message
	}
	return out
}
