// Package null is a platform that starts nothing, for load tests of the
// control plane: a deploy only records the bot, and appends its id and
// token to a file only the daemon's user can read, for a load tool
// (`meeboter bench heartbeat`) to drive the bots' calls with their own
// tokens. It is never chosen unless PLATFORM_PRIORITY names it: its bots
// never join a call.
package null

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/meeboter/meeboter/platforms"
)

// Name is the platform's name in PLATFORM_PRIORITY.
const Name = "null"

// TokensFile is where, under the platform's state directory, deploys are
// recorded: one JSON object per line.
const TokensFile = "tokens.jsonl"

// Deployed is one line of the tokens file.
type Deployed struct {
	BotID int64  `json:"botId"`
	Token string `json:"token"`
}

// Null is the platform. Its resources live in this process: it is host
// bound, so each daemon reconciles only the bots it deployed.
type Null struct {
	limit int
	path  string

	mu      sync.Mutex
	seq     int
	running map[string]int64
}

var (
	_ platforms.Platform  = (*Null)(nil)
	_ platforms.HostBound = (*Null)(nil)
)

// New returns a platform holding up to limit bots that records deploys in
// dir/TokensFile (dir is created 0700).
func New(dir string, limit int) (*Null, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("null platform: %w", err)
	}
	return &Null{limit: limit, path: filepath.Join(dir, TokensFile), running: map[string]int64{}}, nil
}

// Name implements platforms.Platform.
func (p *Null) Name() string { return Name }

// Capacity implements platforms.Platform.
func (p *Null) Capacity() int { return p.limit }

// HostBound implements platforms.HostBound.
func (p *Null) HostBound() bool { return true }

// Deploy records the bot and appends its token to the file.
func (p *Null) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	line, err := json.Marshal(Deployed{BotID: spec.BotID, Token: spec.Env["MILO_AUTH_TOKEN"]})
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return "", fmt.Errorf("null platform: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("null platform: %w", err)
	}
	p.seq++
	id := fmt.Sprintf("null-%d-%d", spec.BotID, p.seq)
	p.running[id] = spec.BotID
	return id, nil
}

// Stop implements platforms.Platform.
func (p *Null) Stop(ctx context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, id)
	return nil
}

// Status implements platforms.Platform.
func (p *Null) Status(ctx context.Context, id string) (platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	bot, ok := p.running[id]
	if !ok {
		return platforms.Resource{}, platforms.ErrNotFound
	}
	return platforms.Resource{ID: id, BotID: bot, State: platforms.StateRunning}, nil
}

// List implements platforms.Platform.
func (p *Null) List(ctx context.Context) ([]platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]platforms.Resource, 0, len(p.running))
	for id, bot := range p.running {
		out = append(out, platforms.Resource{ID: id, BotID: bot, State: platforms.StateRunning})
	}
	return out, nil
}

// ReadTokens reads the deploys recorded in a tokens file, the last token
// of each bot winning.
func ReadTokens(path string) (map[int64]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var d Deployed
		if err := dec.Decode(&d); err != nil {
			return out, nil // a line being written: the rest comes next read
		}
		out[d.BotID] = d.Token
	}
	return out, nil
}
