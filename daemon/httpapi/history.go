package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// listOwned is the shape of the per-bot listings: check ownership, page
// ascending from the cursor, convert.
func listOwned[T, U any](a *API, list func(*http.Request, int64, store.Page) ([]T, error), conv func(T) U, id func(T) int64) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := a.ownedBot(r)
		if err != nil {
			return nil, err
		}
		page, err := pageFrom(r, false)
		if err != nil {
			return nil, err
		}
		rows, err := list(r, b.ID, page)
		if err != nil {
			return nil, err
		}
		return api.List[U]{Items: wire.Map(rows, conv), NextCursor: nextCursor(rows, page.Limit, id)}, nil
	}
}

func (a *API) botEvents() handlerFunc {
	return listOwned(a, func(r *http.Request, id int64, p store.Page) ([]store.Event, error) {
		return a.svc.Life.Events(r.Context(), id, p)
	}, wire.Event, func(e store.Event) int64 { return e.ID })
}

func (a *API) botLogs() handlerFunc {
	return listOwned(a, func(r *http.Request, id int64, p store.Page) ([]store.LogEntry, error) {
		return a.svc.Life.Logs(r.Context(), id, p)
	}, wire.Log, func(e store.LogEntry) int64 { return e.ID })
}

// botScreenshots pages a bot's screenshots, each with a short-lived
// signed URL of its image.
func (a *API) botScreenshots(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	page, err := pageFrom(r, false)
	if err != nil {
		return nil, err
	}
	rows, err := a.svc.Life.Screenshots(r.Context(), b.ID, page)
	if err != nil {
		return nil, err
	}
	items := make([]api.Screenshot, len(rows))
	for i, sc := range rows {
		items[i] = wire.Screenshot(sc)
		if a.svc.Archive == nil {
			continue
		}
		u, err := a.svc.Archive.ScreenshotURL(r.Context(), sc)
		if err != nil {
			return nil, err
		}
		items[i].URL, items[i].URLExpiresAt = u.URL, &u.ExpiresAt
	}
	return api.List[api.Screenshot]{Items: items, NextCursor: nextCursor(rows, page.Limit, func(e store.Screenshot) int64 { return e.ID })}, nil
}

// botRecording answers a signed URL of the bot's recording.
func (a *API) botRecording(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	if a.svc.Archive == nil {
		return nil, domain.NotFound("recording")
	}
	u, err := a.svc.Archive.RecordingURL(r.Context(), b)
	if err != nil {
		return nil, err
	}
	return api.Recording{BotID: b.ID, Key: b.RecordingKey, URL: u.URL, ExpiresAt: u.ExpiresAt}, nil
}

func (a *API) botChatHistory() handlerFunc {
	return listOwned(a, func(r *http.Request, id int64, p store.Page) ([]store.ChatMessage, error) {
		return a.svc.Chat.History(r.Context(), id, p)
	}, wire.Chat, func(e store.ChatMessage) int64 { return e.ID })
}
