package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// CreateBot inserts a bot. With a daily limit, the count and the insert run
// in one transaction that holds the user's quota lock, so parallel creates
// never overshoot the limit.
func (s *db) CreateBot(ctx context.Context, p NewBot) (Bot, error) {
	var out Bot
	err := s.tx(ctx, func(t *db) error {
		err := t.checkCreate(ctx, &p)
		if err == nil {
			out, err = t.createRows(ctx, p)
		}
		return err
	})
	return out, err
}

// checkCreate runs a create's checks: its status, its owner's quota, a
// duplicate, a concurrency cap. They write nothing, so a create they
// refuse leaves nothing to roll back.
func (s *db) checkCreate(ctx context.Context, p *NewBot) error {
	if err := checkStatus(p); err != nil {
		return err
	}
	if err := s.checkQuota(ctx, *p); err != nil {
		return err
	}
	if err := s.checkDuplicate(ctx, *p); err != nil {
		return err
	}
	return s.checkCapAtCreate(ctx, *p)
}

// checkStatus gives a new bot SCHEDULED when it names no status, and
// refuses a status there is no such.
func checkStatus(p *NewBot) error {
	if p.Bot.Status == "" {
		p.Bot.Status = api.StatusScheduled
	}
	if !p.Bot.Status.Valid() {
		return fmt.Errorf("store: create bot: unknown status %q", p.Bot.Status)
	}
	return nil
}

// isRefusal reports an error of checkCreate that is its verdict, not a
// statement that failed (which, on PostgreSQL, fails the transaction).
func isRefusal(err error) bool {
	var dup *DuplicateError
	var capped *ConcurrencyLimitError
	return errors.Is(err, ErrQuotaExceeded) || errors.As(err, &dup) || errors.As(err, &capped)
}

// createRows writes a checked create: the bot, its lobby row and booking,
// and its first state for the streams.
func (s *db) createRows(ctx context.Context, p NewBot) (Bot, error) {
	out, err := s.insertBot(ctx, p)
	if err != nil {
		return Bot{}, err
	}
	if err := s.scheduleNew(ctx, out, p); err != nil {
		return Bot{}, err
	}
	return out, s.botChanged(out)
}

func (s *db) checkQuota(ctx context.Context, p NewBot) error {
	if p.DailyLimit == nil {
		return nil
	}
	if err := s.lockQuota(ctx, p.Bot.UserID); err != nil {
		return err
	}
	n, err := s.CountBotsCreated(ctx, p.Bot.UserID, p.DayStart, p.DayStart.Add(24*time.Hour))
	if err != nil {
		return err
	}
	if n >= *p.DailyLimit {
		return ErrQuotaExceeded
	}
	return nil
}

func (s *db) insertBot(ctx context.Context, p NewBot) (Bot, error) {
	args, err := s.insertBotArgs(p)
	if err != nil {
		return Bot{}, err
	}
	return s.botRow(ctx, insertBotSQL+insertBotRow+" RETURNING "+botCols, args...)
}

// insertBotSQL and insertBotRow make the INSERT of one bot or, with a row
// of placeholders per bot, of many.
const (
	insertBotSQL = "INSERT INTO bots (user_id, display_name, image_url, meeting, meeting_platform, join_at, " +
		"max_duration_ms, automatic_leave, recording_enabled, recording_key, speaker_timeframes, status, log_level, " +
		"callback_url, metadata, priority, queue_timeout_ms, queued_at, created_at, updated_at, api_key_id, dedup_key) VALUES "
	insertBotRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

// insertBotArgs are the values of insertBotRow for a new bot.
func (s *db) insertBotArgs(p NewBot) ([]any, error) {
	b, now := p.Bot, p.Now
	var key, dedup any
	if p.APIKeyID != 0 {
		key = p.APIKeyID
	}
	if p.DedupKey != "" {
		dedup = p.DedupKey
	}
	meeting, err := jsonArg(b.Meeting)
	if err != nil {
		return nil, err
	}
	leave, err := jsonArg(b.AutomaticLeave)
	if err != nil {
		return nil, err
	}
	meta, err := jsonArg(nonNilMap(b.Metadata))
	if err != nil {
		return nil, err
	}
	return []any{b.UserID, b.DisplayName, b.ImageURL, meeting, b.Meeting.Platform, s.d.atp(b.JoinAt),
		ms(b.MaxDuration), leave, b.RecordingEnabled, b.RecordingKey, rawArg(b.SpeakerTimeframes), string(b.Status),
		b.LogLevel, b.CallbackURL, meta, b.Priority, ms(b.QueueTimeout), s.d.atp(b.QueuedAt), s.d.at(now), s.d.at(now), key, dedup}, nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// GetBot reads any bot.
func (s *db) GetBot(ctx context.Context, id int64) (Bot, error) {
	return s.getBotWhere(ctx, "id = ?", id)
}

// GetUserBot reads a bot owned by userID. It is the read of GET
// /v1/bots/{id}, so it goes to the reader.
func (s *db) GetUserBot(ctx context.Context, userID, id int64) (Bot, error) {
	return s.getBotWhereOn(ctx, s.reader(), "id = ? AND user_id = ?", id, userID)
}

// ListBots pages a user's bots, newest first, with optional filters.
func (s *db) ListBots(ctx context.Context, f BotFilter) ([]Bot, error) {
	where, args := []string{"user_id = ?"}, []any{f.UserID}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if len(f.Statuses) > 0 {
		cond, a := statusIn("status", f.Statuses)
		add(cond, a...)
	}
	if f.MeetingPlatform != "" {
		add("meeting_platform = ?", f.MeetingPlatform)
	}
	if f.CreatedFrom != nil {
		add("created_at >= ?", s.d.at(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		add("created_at < ?", s.d.at(*f.CreatedTo))
	}
	for _, k := range sortedKeys(f.Metadata) {
		add(s.d.metadataMatch(), k, f.Metadata[k])
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	q := "SELECT " + botCols + " FROM bots WHERE " + strings.Join(where, " AND ") + " ORDER BY id DESC LIMIT ?"
	n := limit(f.Limit)
	return s.botsOn(ctx, s.reader(), min(n, 128), q, append(args, n)...)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// notDeployed are the statuses in which a bot's settings may still change
// and it may be deleted without stopping anything.
var notDeployed = []api.BotStatus{api.StatusScheduled, api.StatusQueued}

// UpdateBot changes a SCHEDULED or QUEUED bot; ErrConflict once deployed.
func (s *db) UpdateBot(ctx context.Context, userID, id int64, p BotPatch) (Bot, error) {
	set, err := s.patchSet(p)
	if err != nil {
		return Bot{}, err
	}
	guard, gargs := statusIn("status", notDeployed)
	args := append(append(set.args, id, userID), gargs...)
	var b Bot
	err = s.tx(ctx, func(t *db) error {
		var err error
		b, err = t.botRow(ctx, "UPDATE bots SET "+set.String()+" WHERE id = ? AND user_id = ? AND "+guard+
			" RETURNING "+botCols, args...)
		if errors.Is(err, ErrNotFound) {
			return t.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ? AND user_id = ?", id, userID)
		}
		if err != nil {
			return err
		}
		if err := t.rebook(ctx, b, p); err != nil {
			return err
		}
		return t.botChanged(b)
	})
	return b, err
}

func (s *db) patchSet(p BotPatch) (*setList, error) {
	set := &setList{}
	set.add("updated_at = ?", s.d.at(p.Now))
	if p.DisplayName != nil {
		set.add("display_name = ?", *p.DisplayName)
	}
	if p.ImageURL != nil {
		set.add("image_url = ?", *p.ImageURL)
	}
	if p.JoinAt != nil {
		set.add("join_at = ?", s.d.atp(*p.JoinAt))
	}
	if p.CallbackURL != nil {
		set.add("callback_url = ?", *p.CallbackURL)
	}
	if p.MaxDuration != nil {
		set.add("max_duration_ms = ?", ms(*p.MaxDuration))
	}
	if p.AutomaticLeave != nil {
		v, err := jsonArg(*p.AutomaticLeave)
		if err != nil {
			return nil, err
		}
		set.add("automatic_leave = ?", v)
	}
	if p.Metadata != nil {
		v, err := jsonArg(p.Metadata)
		if err != nil {
			return nil, err
		}
		set.add("metadata = ?", v)
	}
	return set, nil
}

// DeleteBot removes an owned bot that is not running; its children go by
// cascade.
func (s *db) DeleteBot(ctx context.Context, userID, id int64) error {
	guard, gargs := statusIn("status", []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDone, api.StatusFatal})
	n, err := s.exec(ctx, "DELETE FROM bots WHERE id = ? AND user_id = ? AND "+guard, append([]any{id, userID}, gargs...)...)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ? AND user_id = ?", id, userID)
	}
	if err == nil {
		s.touch(id)
	}
	return err
}

// SetLogLevel changes an owned bot's runtime log level.
func (s *db) SetLogLevel(ctx context.Context, userID, id int64, level string) error {
	return s.tx(ctx, func(t *db) error {
		b, err := t.botRow(ctx, "UPDATE bots SET log_level = ? WHERE id = ? AND user_id = ? RETURNING "+botCols, level, id, userID)
		if err != nil {
			return err
		}
		return t.botChanged(b)
	})
}
