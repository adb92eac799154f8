package daemon_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIListBots(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		var red, blue []int64
		for range 3 {
			red = append(red, createBot(t, d.Admin, api.CreateBotRequest{JoinAt: fromNow(time.Hour), Metadata: map[string]string{"team": "red"}}).ID)
		}
		// The groups' creation times must differ for the time filters.
		time.Sleep(20 * time.Millisecond)
		for range 2 {
			blue = append(blue, createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: teamsURL}, JoinAt: fromNow(time.Hour), Metadata: map[string]string{"team": "blue"}}).ID)
		}
		done := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}, JoinAt: fromNow(time.Hour)})
		if _, err := d.Admin.Bots().Cancel(ctx, done.ID); err != nil {
			t.Fatal(err)
		}
		all := append(append(slices.Clone(red), blue...), done.ID)
		slices.Reverse(all)

		hourAgo, inAnHour := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
		cases := []struct {
			name string
			opts api.BotListOptions
			want []int64
		}{
			{"all", api.BotListOptions{}, all},
			{"scheduled", api.BotListOptions{Statuses: []api.BotStatus{api.StatusScheduled}}, all[1:]},
			{"done", api.BotListOptions{Statuses: []api.BotStatus{api.StatusDone}}, []int64{done.ID}},
			{"scheduled or done", api.BotListOptions{Statuses: []api.BotStatus{api.StatusScheduled, api.StatusDone}}, all},
			{"queued", api.BotListOptions{Statuses: []api.BotStatus{api.StatusQueued}}, nil},
			{"teams", api.BotListOptions{MeetingPlatform: api.MeetingMicrosoftTeams}, []int64{blue[1], blue[0]}},
			{"zoom", api.BotListOptions{MeetingPlatform: api.MeetingZoom}, []int64{done.ID}},
			{"team red", api.BotListOptions{Metadata: map[string]string{"team": "red"}}, []int64{red[2], red[1], red[0]}},
			{"team blue on meet", api.BotListOptions{Metadata: map[string]string{"team": "blue"}, MeetingPlatform: api.MeetingGoogleMeet}, nil},
			{"unknown metadata", api.BotListOptions{Metadata: map[string]string{"nope": "x"}}, nil},
			{"created within", api.BotListOptions{CreatedFrom: &hourAgo, CreatedTo: &inAnHour}, all},
			{"created later", api.BotListOptions{CreatedFrom: &inAnHour}, nil},
			{"created earlier", api.BotListOptions{CreatedTo: &hourAgo}, nil},
		}
		for _, tc := range cases {
			got, err := d.Admin.Bots().List(ctx, tc.opts)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if ids := botIDs(got.Items); !slices.Equal(ids, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
			}
		}

		listed, err := d.Admin.Bots().List(ctx, api.BotListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		created := map[int64]time.Time{}
		for _, b := range listed.Items {
			created[b.ID] = b.CreatedAt
		}
		gap := created[blue[0]].Sub(created[red[2]])
		if gap <= 0 {
			t.Fatalf("second group created %v after the first", gap)
		}
		mid := created[red[2]].Add(gap / 2).Format(time.RFC3339Nano)
		for query, want := range map[string][]int64{
			"createdFrom=" + url.QueryEscape(mid): all[:3],
			"createdTo=" + url.QueryEscape(mid):   all[3:],
		} {
			var page api.List[api.Bot]
			r := send(t, d, d.AdminKey, http.MethodGet, "/v1/bots?"+query, "")
			r.wantStatus(t, http.StatusOK)
			r.decode(t, &page)
			if ids := botIDs(page.Items); !slices.Equal(ids, want) {
				t.Errorf("%s: got %v, want %v", query, ids, want)
			}
		}

		if got := walkBots(t, d.Admin, api.BotListOptions{Limit: 2}); !slices.Equal(got, all) {
			t.Errorf("pages of 2 hold %v, want %v", got, all)
		}
		if got := walkBots(t, d.Admin, api.BotListOptions{Limit: 1, Statuses: []api.BotStatus{api.StatusScheduled}}); !slices.Equal(got, all[1:]) {
			t.Errorf("pages of 1 of scheduled bots hold %v, want %v", got, all[1:])
		}
		if got := walkBots(t, d.Admin, api.BotListOptions{Limit: 6}); !slices.Equal(got, all) {
			t.Errorf("one full page holds %v, want %v", got, all)
		}
	})
}

// walkBots follows the cursor to the last page, failing on a page larger
// than the limit or an id seen twice.
func walkBots(tb testing.TB, c *api.Client, opts api.BotListOptions) []int64 {
	tb.Helper()
	var ids []int64
	seen := map[int64]bool{}
	for pages := 0; ; pages++ {
		if pages > 100 {
			tb.Fatal("the cursor never ends")
		}
		page, err := c.Bots().List(context.Background(), opts)
		if err != nil {
			tb.Fatal(err)
		}
		if len(page.Items) > opts.Limit {
			tb.Fatalf("page of %d items with limit %d", len(page.Items), opts.Limit)
		}
		for _, b := range page.Items {
			if seen[b.ID] {
				tb.Fatalf("bot %d listed twice", b.ID)
			}
			seen[b.ID] = true
			ids = append(ids, b.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		opts.Cursor = page.NextCursor
	}
}

func botIDs(bots []api.Bot) []int64 {
	var ids []int64
	for _, b := range bots {
		ids = append(ids, b.ID)
	}
	return ids
}
