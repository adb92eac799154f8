package fakebackend

import (
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
)

// Tokens of the standard fixture.
const (
	TokenBot123  = "tok-123"
	TokenBot124  = "tok-124"
	TokenBot200  = "tok-200"
	TokenSlot    = "tok-slot"
	TokenShared  = "tok-shared"
	SlotUUID     = "k8w4c0s0g8ckc4ks"
	IdleSlotUUID = "idle0slot0uuid00"
)

// Config123 is the config of the protocol note's example bot.
func Config123() trpc.BotConfig {
	start := time.Date(2025, 12, 28, 10, 0, 0, 0, time.UTC)
	return trpc.BotConfig{
		ID:     123,
		UserID: "usr_1",
		Meeting: trpc.Meeting{
			MeetingURL: "https://meet.google.com/abc-defg-hij",
			Platform:   "google-meet",
		},
		StartTime:   start,
		EndTime:     start,
		DisplayName: "Meeboter",
		AutomaticLeave: trpc.AutomaticLeave{
			WaitingRoomTimeout: 600000, NoOneJoinedTimeout: 60000,
			EveryoneLeftTimeout: 60000, InactivityTimeout: 300000,
		},
	}
}

// Standard returns the fixture the tests share: bot 123 deploying (the
// note's example, also assigned to pool slot SlotUUID), bot 124 in a call
// with one chat message queued, bot 200 done.
func Standard() *Backend {
	b := New()
	b.Tokens = map[string]trpc.Identity{
		TokenBot123: {BotID: 123},
		TokenBot124: {BotID: 124},
		TokenBot200: {BotID: 200},
		TokenSlot:   {SlotUUID: SlotUUID},
		TokenShared: {All: true},
	}
	cfg124 := Config123()
	cfg124.ID = 124
	cfg200 := Config123()
	cfg200.ID = 200
	template := int64(4)
	b.Bots = map[int64]*Bot{
		123: {Config: Config123(), Status: api.StatusDeploying},
		124: {Config: cfg124, Status: api.StatusInCall, Chat: []trpc.ChatMessage{
			{MessageText: "Hello from Meeboter", TemplateID: &template, UserID: "usr_1"},
		}},
		200: {Config: cfg200, Status: api.StatusDone},
	}
	b.Slots = map[string]int64{SlotUUID: 123, IdleSlotUUID: 0}
	return b
}
