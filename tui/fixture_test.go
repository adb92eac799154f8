package tui

import (
	"encoding/json"
	"time"

	"github.com/meeboter/meeboter/api"
)

// testNow is the fixed clock of every test, so ages render the same.
var testNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) *time.Time {
	t := testNow.Add(-d)
	return &t
}

func testBot(id int64, name, meeting string, s api.BotStatus, created time.Duration) api.Bot {
	return api.Bot{
		ID: id, DisplayName: name, Status: s,
		Meeting:   api.Meeting{Platform: meeting, MeetingURL: "https://meet.example/" + name},
		CreatedAt: *ago(created), UpdatedAt: *ago(created),
	}
}

func running(b api.Bot, platform string, heartbeat time.Duration) api.Bot {
	b.DeploymentPlatform, b.PlatformID = platform, "pid-"+itoa(b.ID)
	b.LastHeartbeatAt, b.JoinedAt = ago(heartbeat), ago(heartbeat+time.Minute)
	return b
}

func ended(b api.Bot, reason, detail string, at time.Duration) api.Bot {
	b.EndReason, b.EndDetail, b.EndedAt = reason, detail, ago(at)
	b.UpdatedAt = *ago(at)
	return b
}

// fixture is a small fleet with every kind of row the views draw.
func fixture() *fakeClient {
	bots := []api.Bot{
		running(testBot(1, "standup-notes", api.MeetingGoogleMeet, api.StatusInCall, 25*time.Minute), "local", 3*time.Second),
		running(testBot(2, "sales-sync", api.MeetingZoom, api.StatusJoiningCall, 2*time.Minute), "k8s", 20*time.Second),
		testBot(3, "retro", api.MeetingMicrosoftTeams, api.StatusQueued, 70*time.Second),
		ended(running(testBot(4, "all-hands", api.MeetingGoogleMeet, api.StatusFatal, 3*time.Hour), "k8s", time.Hour),
			api.ReasonHeartbeatTimeout, "no heartbeat for 90s", 10*time.Minute),
		ended(testBot(5, "design-review", api.MeetingZoom, api.StatusDone, 2*time.Hour), api.ReasonCompleted, "", 30*time.Minute),
		testBot(6, "planning", api.MeetingGoogleMeet, api.StatusScheduled, 5*time.Minute),
		running(testBot(7, "weekly-1on1", api.MeetingMicrosoftTeams, api.StatusInWaitingRoom, 4*time.Minute), "local", 5*time.Second),
		ended(testBot(8, "customer-call", api.MeetingZoom, api.StatusFatal, 50*time.Minute), "MEETING_NOT_FOUND", "zoom said the meeting does not exist", 45*time.Minute),
	}
	bots[0].Metadata = map[string]string{"team": "sales", "deal": "42"}
	bots[1].Metadata = map[string]string{"team": "support"}
	f := &fakeClient{bots: map[int64]api.Bot{}, events: map[int64][]api.Event{}, logs: map[int64][]api.LogEntry{}}
	for _, b := range bots {
		f.bots[b.ID] = b
	}
	f.pool = api.PoolStatus{
		Platforms: []api.PlatformCapacity{{Name: "local", Used: 2, Free: 3, Limit: 5}, {Name: "k8s", Used: 1, Free: 9, Limit: 10}},
		Queued:    1, OldestQueued: ago(70 * time.Second),
		StatusCounts: map[api.BotStatus]int{
			api.StatusScheduled: 1, api.StatusQueued: 1, api.StatusJoiningCall: 1, api.StatusInWaitingRoom: 1,
			api.StatusInCall: 1, api.StatusDone: 1, api.StatusFatal: 2,
		},
		Today: api.DayCounts{Started: 12, Done: 7, Failed: 2},
	}
	steps := func(limit int, held ...[2]int) []api.ForecastStep {
		var out []api.ForecastStep
		for i, h := range held {
			out = append(out, api.ForecastStep{At: testNow.Add(time.Duration(i) * 10 * time.Minute), Reserved: h[0], Running: h[1],
				Free: max(0, limit-h[0]-h[1])})
		}
		return out
	}
	f.forecast = api.CapacityForecast{From: testNow, To: testNow.Add(time.Hour), StepSeconds: 600, Platforms: []api.ForecastPlatform{
		{Platform: "local", Limit: 5, Steps: steps(5, [2]int{0, 2}, [2]int{0, 2}, [2]int{3, 2}, [2]int{3, 0}, [2]int{0, 0}, [2]int{0, 0})},
		{Platform: "k8s", Limit: 10, Steps: steps(10, [2]int{0, 0}, [2]int{0, 0}, [2]int{0, 0}, [2]int{0, 0}, [2]int{0, 0}, [2]int{0, 0})},
	}}
	bot7 := int64(7)
	f.slots = []api.PoolSlot{
		{ID: 1, Platform: "coolify", MeetingPlatform: api.MeetingMicrosoftTeams, Name: "teams-slot-1", Status: "busy", BotID: &bot7, LastUsedAt: ago(4 * time.Minute)},
		{ID: 2, Platform: "coolify", MeetingPlatform: api.MeetingZoom, Name: "zoom-slot-1", Status: "error", Error: "image pull failed"},
	}
	f.queue = []api.QueueEntry{{
		BotID: 3, DisplayName: "retro", MeetingPlatform: api.MeetingMicrosoftTeams, Position: 1,
		QueuedAt: *ago(70 * time.Second), TimeoutAt: testNow.Add(530 * time.Second), EstimatedWaitSeconds: 90,
	}}
	f.events[1] = []api.Event{
		{ID: 1, BotID: 1, Type: "status_change", Time: *ago(26 * time.Minute), Data: json.RawMessage(`{"status":"JOINING_CALL"}`)},
		{ID: 2, BotID: 1, Type: "status_change", Time: *ago(25 * time.Minute), Data: json.RawMessage(`{"status":"IN_CALL"}`)},
		{ID: 3, BotID: 1, Type: "participant_join", Time: *ago(20 * time.Minute), Data: json.RawMessage(`{"name":"Ada"}`)},
	}
	for i := range 12 {
		f.logs[1] = append(f.logs[1], api.LogEntry{
			ID: int64(i + 1), BotID: 1, Level: "info", Time: *ago(time.Duration(12-i) * time.Minute),
			Message: "heartbeat ok, " + itoa(int64(i+2)) + " participants",
		})
	}
	return f
}
