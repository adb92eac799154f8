package trpcclient

import (
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
)

// The inputs below reproduce the bots' objects field by field, in their
// key order, because superjson and JSON.stringify keep that order.

// configInput is bots.getConfig's input: the only numeric request id.
type configInput struct {
	BotID int64 `json:"botId"`
}

type slotInput struct {
	PoolSlotUUID string `json:"poolSlotUuid"`
}

// idInput names the bot as {id:"123"} (heartbeat).
type idInput struct {
	ID string `json:"id"`
}

// botIDInput names the bot as {botId:"123"} (chat, logs.flush).
type botIDInput struct {
	BotID string `json:"botId"`
}

type eventInput struct {
	ID    string     `json:"id"`
	Event trpc.Event `json:"event"`
}

// statusInput is an updateStatus sent on a status event: {id, status}.
type statusInput struct {
	ID     string        `json:"id"`
	Status api.BotStatus `json:"status"`
}

// finalStatusInput is the final updateStatus without a recording:
// recording and speakerTimeframes are present as keys, undefined when
// absent.
type finalStatusInput struct {
	ID                string                  `json:"id"`
	Status            api.BotStatus           `json:"status"`
	Recording         *string                 `json:"recording" superjson:"optional"`
	SpeakerTimeframes []trpc.SpeakerTimeframe `json:"speakerTimeframes" superjson:"optional"`
}

// recordedStatusInput is the final updateStatus with a recording, which the
// bots send without a speakerTimeframes key unless there are timeframes.
type recordedStatusInput struct {
	ID                string                  `json:"id"`
	Status            api.BotStatus           `json:"status"`
	Recording         string                  `json:"recording"`
	SpeakerTimeframes []trpc.SpeakerTimeframe `json:"speakerTimeframes,omitempty"`
}

type logsInput struct {
	BotID   string          `json:"botId"`
	Entries []trpc.LogEntry `json:"entries"`
}

// idString formats a bot id the way the bots send most ids: a string.
func idString(botID int64) string { return strconv.FormatInt(botID, 10) }

// statusPayload chooses the bot's shape for a status update: {id, status}
// for a status event, the long forms for the final DONE (or any update
// carrying recording data), byte for byte as documented for the bots.
func statusPayload(botID int64, u trpc.StatusUpdate) any {
	id := idString(botID)
	switch {
	case u.Recording != nil:
		return recordedStatusInput{ID: id, Status: u.Status, Recording: *u.Recording, SpeakerTimeframes: u.SpeakerTimeframes}
	case u.Status == api.StatusDone || len(u.SpeakerTimeframes) > 0:
		in := finalStatusInput{ID: id, Status: u.Status}
		if len(u.SpeakerTimeframes) > 0 {
			in.SpeakerTimeframes = u.SpeakerTimeframes
		}
		return in
	}
	return statusInput{ID: id, Status: u.Status}
}

// logsPayload fills entries' missing bot ids with botID, as the bots do.
func logsPayload(botID int64, entries []trpc.LogEntry) logsInput {
	out := make([]trpc.LogEntry, len(entries))
	for i, e := range entries {
		if e.BotID == 0 {
			e.BotID = botID
		}
		out[i] = e
	}
	return logsInput{BotID: idString(botID), Entries: out}
}
