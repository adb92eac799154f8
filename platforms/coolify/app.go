package coolify

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// App is a Coolify application as the pool sees it.
type App struct {
	UUID string
	Name string
	// Slot is the parsed name; zero for an application that is not a slot.
	Slot   SlotName
	Status AppStatus
	// BotID is the bot the description says the slot runs; 0 when idle.
	BotID       int64
	Description string
	Image       string
	// CreatedAt is when Coolify created it; zero if Coolify's time did not
	// parse. The sync uses it to leave young applications alone.
	CreatedAt time.Time
}

func toApp(a Application) App {
	out := App{UUID: a.UUID, Name: a.Name, Status: ParseStatus(a.Status)}
	out.Slot, _ = ParseSlotName(a.Name)
	if a.Description != nil {
		out.Description = *a.Description
		out.BotID = parseBotDescription(*a.Description)
	}
	if a.ImageName != nil {
		out.Image = *a.ImageName
		if a.ImageTag != nil && *a.ImageTag != "" {
			out.Image += ":" + *a.ImageTag
		}
	}
	out.CreatedAt, _ = time.Parse(time.RFC3339Nano, a.CreatedAt)
	return out
}

// The description says what a slot does; Coolify shows it in its UI, and
// Status reads the bot id back from it.
const (
	descBotPrefix = "meeboter: bot "
	descIdle      = "meeboter: idle"
)

func botDescription(botID int64) string { return descBotPrefix + strconv.FormatInt(botID, 10) }

func parseBotDescription(s string) int64 {
	rest, ok := strings.CutPrefix(s, descBotPrefix)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// App reads one application; errors.Is(err, ErrNotFound) when it is gone.
func (p *Pool) App(ctx context.Context, uuid string) (App, error) {
	a, err := p.c.App(ctx, uuid)
	if err != nil {
		return App{}, err
	}
	return toApp(a), nil
}

// ListPoolApps lists the applications whose names are slot names. A failed
// or undecodable list is an error, never an empty pool.
func (p *Pool) ListPoolApps(ctx context.Context) ([]App, error) {
	all, err := p.c.Apps(ctx)
	if err != nil {
		return nil, err
	}
	var out []App
	for _, a := range all {
		if _, err := ParseSlotName(a.Name); err == nil {
			out = append(out, toApp(a))
		}
	}
	return out, nil
}

// Delete deletes a slot's application; one already gone is no error.
// Coolify queues the deletion, so it may still be listed for a moment.
func (p *Pool) Delete(ctx context.Context, uuid string) error {
	err := p.c.deleteApp(ctx, uuid)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Label sets the slot's description to the bot it runs (botID 0: idle).
func (p *Pool) Label(ctx context.Context, uuid string, botID int64) error {
	d := descIdle
	if botID > 0 {
		d = botDescription(botID)
	}
	return p.c.SetDescription(ctx, uuid, d)
}
