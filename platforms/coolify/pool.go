package coolify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Pool runs the operations the daemon needs on slot applications. Each is
// one Coolify call or a documented few; none touches the database, which
// holds the slots, their leases and the deploy limit. Safe for concurrent
// use.
type Pool struct {
	c   *Client
	cfg Config
	log *slog.Logger
}

// New validates cfg (every problem named by its variable) and builds the
// pool and its client. It makes no call to Coolify.
func New(cfg Config, opts Options) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("coolify: %w", err)
	}
	cfg = cfg.withDefaults()
	c, err := NewClient(cfg, opts)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pool{c: c, cfg: cfg, log: log.With("component", "coolify")}, nil
}

// Client is the pool's API client, for calls the pool does not wrap.
func (p *Pool) Client() *Client { return p.c }

// Config is the configuration in effect, defaults included.
func (p *Pool) Config() Config { return p.cfg }

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

// SlotSpec is a slot application to create.
type SlotSpec struct {
	Name            string // a slot name, see FormatSlotName
	MeetingPlatform string
	// Env is written once, at creation: MILO_URL, the slot's token
	// (MILO_AUTH_TOKEN), S3_*, NODE_ENV. POOL_SLOT_UUID is added with the
	// new application's uuid. Nothing per bot belongs here: changing env
	// makes Coolify want a redeploy, and the container finds its bot by
	// POOL_SLOT_UUID instead.
	Env map[string]string
	// Secrets names keys of Env whose values Coolify must not show again.
	Secrets []string
}

// CreateSlotApp creates the slot's application without deploying it
// (POST /applications/dockerimage), then writes its environment
// (PATCH .../envs/bulk). If the second call fails the application is
// deleted again, so a failed creation leaves nothing behind.
func (p *Pool) CreateSlotApp(ctx context.Context, s SlotSpec) (App, error) {
	image, err := p.checkSpec(s)
	if err != nil {
		return App{}, err
	}
	uuid, err := p.c.createDockerImageApp(ctx, p.createBody(s, image))
	if err != nil {
		return App{}, fmt.Errorf("coolify: create slot %s: %w", s.Name, err)
	}
	if err := p.c.SetEnvs(ctx, uuid, slotEnv(s, uuid)); err != nil {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if derr := p.Delete(dctx, uuid); derr != nil {
			err = errors.Join(err, fmt.Errorf("delete the half-made application: %w", derr))
		}
		return App{}, fmt.Errorf("coolify: set env of slot %s (%s): %w", s.Name, uuid, err)
	}
	name, _ := ParseSlotName(s.Name)
	return App{UUID: uuid, Name: s.Name, Slot: name, Status: ParseStatus(StateExited), Description: descIdle, Image: image.String()}, nil
}

func (p *Pool) checkSpec(s SlotSpec) (ImageRef, error) {
	name, err := ParseSlotName(s.Name)
	if err != nil {
		return ImageRef{}, err
	}
	if name.MeetingPlatform != s.MeetingPlatform {
		return ImageRef{}, fmt.Errorf("coolify: slot %s is named for %s, not %s", s.Name, name.MeetingPlatform, s.MeetingPlatform)
	}
	for _, k := range []string{"POOL_SLOT_UUID", "BOT_ID"} {
		if _, ok := s.Env[k]; ok {
			return ImageRef{}, fmt.Errorf("coolify: slot %s: Env must not set %s (the pool sets POOL_SLOT_UUID; BOT_ID would pin the slot to one bot)", s.Name, k)
		}
	}
	return p.cfg.Image(s.MeetingPlatform)
}

func (p *Pool) createBody(s SlotSpec, image ImageRef) createApp {
	return createApp{
		ProjectUUID: p.cfg.ProjectUUID, ServerUUID: p.cfg.ServerUUID, DestinationUUID: p.cfg.DestinationUUID,
		EnvironmentName: p.cfg.EnvironmentName, EnvironmentUUID: p.cfg.EnvironmentUUID,
		ImageName: image.Name, ImageTag: image.Tag, Name: s.Name, Description: descIdle,
		PortsExposes: "3000", LimitsCPUs: p.cfg.CPULimit, LimitsMemory: p.cfg.MemoryLimit,
		// The pool deploys under its own pull lock and deploy limit, and a
		// bot needs no public domain.
		InstantDeploy: false, AutogenerateDomain: false,
	}
}

// slotEnv is the slot's environment in a stable order, every value
// literal so Coolify does not interpolate a $ inside a token.
func slotEnv(s SlotSpec, uuid string) []EnvVar {
	env := maps.Clone(s.Env)
	if env == nil {
		env = map[string]string{}
	}
	env["POOL_SLOT_UUID"] = uuid
	out := make([]EnvVar, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, EnvVar{Key: k, Value: env[k], Literal: true, ShownOnce: slices.Contains(s.Secrets, k)})
	}
	return out
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

// PullKey names what the first deploy on a server pulls: the server and
// the meeting platform's image. The daemon keys the store's image-pull
// lock with it.
func (p *Pool) PullKey(meetingPlatform string) (string, error) {
	image, err := p.cfg.Image(meetingPlatform)
	if err != nil {
		return "", err
	}
	return p.cfg.ServerUUID + "/" + meetingPlatform + "/" + image.String(), nil
}
