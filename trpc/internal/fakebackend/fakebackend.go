// Package fakebackend is an in-memory trpc.Backend that follows the
// reference server's rules closely enough to test the protocol layer and
// its client against each other.
package fakebackend

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
)

// Bot is one bot's state and everything it reported.
type Bot struct {
	Config      trpc.BotConfig
	Status      api.BotStatus
	Heartbeats  int
	Events      []trpc.Event
	Statuses    []trpc.StatusUpdate
	Chat        []trpc.ChatMessage
	Logs        []trpc.LogEntry
	Flushes     int
	Screenshots []trpc.ScreenshotUpload
}

// Backend holds bots, tokens and pool slots. Fail makes a bot's calls fail
// with the given error; Panic makes them panic.
type Backend struct {
	mu     sync.Mutex
	Tokens map[string]trpc.Identity
	Bots   map[int64]*Bot
	Slots  map[string]int64
	Fail   map[int64]error
	Panic  map[int64]bool
	Now    func() time.Time
}

// New returns an empty backend with a fixed clock.
func New() *Backend {
	return &Backend{
		Tokens: map[string]trpc.Identity{},
		Bots:   map[int64]*Bot{},
		Slots:  map[string]int64{},
		Fail:   map[int64]error{},
		Panic:  map[int64]bool{},
		Now:    func() time.Time { return time.Date(2025, 12, 28, 10, 1, 2, 0, time.UTC) },
	}
}

// Bot returns a copy of a bot's state, for assertions.
func (b *Backend) Bot(id int64) Bot {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bot := b.Bots[id]; bot != nil {
		return *bot
	}
	return Bot{}
}

// Authenticate compares the token with every known one in constant time.
func (b *Backend) Authenticate(_ context.Context, token string) (trpc.Identity, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var found *trpc.Identity
	for known, id := range b.Tokens {
		if trpc.TokensEqual(known, token) {
			found = &id
		}
	}
	if found == nil {
		return trpc.Identity{}, trpc.ErrUnauthorized
	}
	return *found, nil
}

// with runs fn on a bot under the lock, after the Fail and Panic hooks and
// the slot assignment check.
func (b *Backend) with(id trpc.Identity, botID int64, fn func(*Bot) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Panic[botID] {
		panic(fmt.Sprintf("bot %d panics", botID))
	}
	if err := b.Fail[botID]; err != nil {
		return err
	}
	if id.SlotUUID != "" && b.Slots[id.SlotUUID] != botID {
		return fmt.Errorf("%w: pool slot %s does not run bot %d", trpc.ErrForbidden, id.SlotUUID, botID)
	}
	return fn(b.Bots[botID])
}

// finished is the reference's "container should exit" answer, in its words.
func finished(bot *Bot) error {
	//lint:ignore ST1005 the bots log the reference server's sentence as is
	return fmt.Errorf("%w: Bot %d has already finished (status: %s). Container should exit.",
		trpc.ErrPreconditionFailed, bot.Config.ID, bot.Status)
}
