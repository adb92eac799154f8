package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// ClaimDeploys hands unclaimed DEPLOYING bots to one deployer. On
// PostgreSQL the sub-select skips rows another claimer holds, so many
// deployers claim disjoint sets without waiting on each other; on SQLite the
// single writer makes the statement atomic as it is.
//
// A bot no deployer held before takes the next of p.TokenHashes as its
// agent token's hash in the same statement: the deploy that follows needs
// no commit of its own before the platform call. A bot taken over from an
// expired claim keeps its token (a deploy of it may still be in flight,
// with that token) and its deployer stores a new one when it needs to; a
// bot on a pool slot takes none, as it speaks with its slot's token.
func (s *db) ClaimDeploys(ctx context.Context, p ClaimDeploysParams) ([]ClaimedBot, error) {
	sub := "SELECT id, deploy_claim_holder IS NULL AND pool_slot_id IS NULL AS fresh FROM bots WHERE status = 'DEPLOYING' AND deployment_platform IS NOT NULL AND " + unclaimed
	args := []any{s.d.at(p.Now)}
	if p.BotID != 0 {
		sub, args = sub+" AND id = ?", append(args, p.BotID)
	}
	sub += " ORDER BY id LIMIT ?" + s.d.skipLocked()
	hashes, err := json.Marshal(nonNilSlice(p.TokenHashes))
	if err != nil {
		return nil, err
	}
	args = append(args, limit(p.Limit), string(hashes), p.Holder, s.d.at(p.Now.Add(p.LeaseFor)))
	var out []ClaimedBot
	err = s.each(ctx, "WITH c AS ("+sub+"), n AS (SELECT id AS cid, CASE WHEN fresh THEN "+
		s.d.jsonTextAt("?", "sum(CASE WHEN fresh THEN 1 ELSE 0 END) OVER (ORDER BY id) - 1")+" END AS h FROM c) "+
		"UPDATE bots SET deploy_claim_holder = ?, deploy_claim_until = ?, "+
		"agent_token_hash = COALESCE((SELECT h FROM n WHERE cid = bots.id), agent_token_hash) "+
		"WHERE id IN (SELECT cid FROM n) AND status = 'DEPLOYING' RETURNING "+botCols+", agent_token_hash", args,
		func(r *sql.Rows) error {
			var c ClaimedBot
			var hash sql.NullString
			if err := scanBot(withExtra(r, &hash), &c.Bot); err != nil {
				return err
			}
			if slices.Contains(p.TokenHashes, hash.String) {
				c.TokenHash = hash.String // set here: no other bot can have it
				s.touch(c.ID)             // what is cached under its old token goes
			}
			out = append(out, c)
			return nil
		})
	slices.SortFunc(out, func(a, b ClaimedBot) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// SetDeployed records the resource of a claimed bot and ends the claim. The
// bot may already have reported from inside the platform (a fast container
// can say JOINING_CALL before the deployer gets here), so any status that
// holds capacity on that platform is accepted; an ended bot is ErrConflict
// and the caller stops the resource.
func (s *db) SetDeployed(ctx context.Context, p DeployedParams) error {
	guard, gargs := statusIn("status", capacityStatuses)
	args := append([]any{p.PlatformID, p.DeployedBy, s.d.at(p.Now), p.BotID, p.Platform}, gargs...)
	held, hargs := claimHeld(p.Holder)
	args = append(args, hargs...)
	return s.tx(ctx, func(t *db) error {
		b, err := t.botRow(ctx, "UPDATE bots SET platform_identifier = ?, deployed_by = ?, deploy_claim_holder = NULL, deploy_claim_until = NULL, "+
			"updated_at = ? WHERE id = ? AND deployment_platform = ? AND "+guard+held+" RETURNING "+botCols, args...)
		if errors.Is(err, ErrNotFound) {
			return t.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ?", p.BotID)
		}
		if err != nil {
			return err
		}
		return t.botChanged(b)
	})
}

// claimHeld is the condition, appended to a WHERE, that holder (when set)
// holds the bot's deploy claim, and its argument.
func claimHeld(holder string) (string, []any) {
	if holder == "" {
		return "", nil
	}
	return " AND deploy_claim_holder = ?", []any{holder}
}

// ReleaseDeployClaim ends a claim without a resource: any claim, or only
// holder's when set (ErrConflict when another holds it).
func (s *db) ReleaseDeployClaim(ctx context.Context, botID int64, holder string) error {
	held, hargs := claimHeld(holder)
	n, err := s.exec(ctx, "UPDATE bots SET deploy_claim_holder = NULL, deploy_claim_until = NULL WHERE id = ?"+held,
		append([]any{botID}, hargs...)...)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ?", botID)
	}
	return err
}

// RenewDeployClaim extends the holder's claim while the bot still waits
// for its resource.
func (s *db) RenewDeployClaim(ctx context.Context, p RenewDeployClaimParams) error {
	if p.Holder == "" {
		return errors.New("store: RenewDeployClaim needs a holder")
	}
	// A bot fast enough to report from its container before the deploy
	// is recorded is no longer DEPLOYING, and still the holder's to record.
	guard, gargs := statusIn("status", capacityStatuses)
	n, err := s.exec(ctx, "UPDATE bots SET deploy_claim_until = ? WHERE id = ? AND deploy_claim_holder = ? "+
		"AND platform_identifier IS NULL AND "+guard, append([]any{s.d.at(p.Now.Add(p.LeaseFor)), p.BotID, p.Holder}, gargs...)...)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ?", p.BotID)
	}
	return err
}

// RecordDeployFailure ends the claim, records the DEPLOY_FAILED event and
// enqueues bot.deploy_failed in one transaction, so the bot's history,
// its webhooks and its claim agree whatever happens next.
func (s *db) RecordDeployFailure(ctx context.Context, f DeployFailure) error {
	return s.tx(ctx, func(t *db) error {
		held, hargs := claimHeld(f.Holder)
		b, err := t.botRow(ctx, "UPDATE bots SET deploy_claim_holder = NULL, deploy_claim_until = NULL WHERE id = ?"+held+
			" RETURNING "+botCols, append([]any{f.BotID}, hargs...)...)
		if errors.Is(err, ErrNotFound) && f.Holder != "" {
			return t.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ?", f.BotID)
		}
		if err != nil {
			return err
		}
		fields := map[string]any{"platform": f.Platform, "error": f.Error, "failedOver": f.FailedOver}
		if f.Details != nil {
			fields["details"] = f.Details // what the platform said, e.g. ECS failures[]
		}
		data, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		if err := t.InsertEvents(ctx, []Event{{BotID: b.ID, Type: "DEPLOY_FAILED", Time: f.Now, Data: data}}); err != nil {
			return err
		}
		at := f.Now.UTC().Truncate(time.Microsecond)
		return t.enqueueBotEvents(ctx, b, []outboxEvent{{api.WebhookBotDeployFailed, api.BotDeployFailedWebhook{
			Type: api.WebhookBotDeployFailed, Timestamp: at, BotID: b.ID, Platform: f.Platform, Error: f.Error,
			FailedOver: f.FailedOver, Metadata: nonNilMap(b.Metadata)}}}, f.Now)
	})
}

// RunTimes reads the run times (deploy start to end) of the last n ended
// bots that ran, and gives their median and 90th percentile per meeting
// platform. The arithmetic is done in Go so both engines agree to the
// microsecond.
func (s *db) RunTimes(ctx context.Context, n int) (map[string]RunTimeStats, error) {
	if n <= 0 {
		return map[string]RunTimeStats{}, nil
	}
	runs := map[string][]time.Duration{}
	err := s.each(ctx, "SELECT meeting, deploy_started_at, ended_at FROM bots WHERE ended_at IS NOT NULL AND "+
		"deploy_started_at IS NOT NULL ORDER BY ended_at DESC, id DESC LIMIT ?", []any{n}, func(r *sql.Rows) error {
		var m Meeting
		var start, end time.Time
		if err := r.Scan(jsonCol{&m}, timeCol{&start}, timeCol{&end}); err != nil {
			return err
		}
		runs[m.Platform] = append(runs[m.Platform], end.Sub(start))
		return nil
	})
	out := make(map[string]RunTimeStats, len(runs))
	for platform, ds := range runs {
		slices.Sort(ds)
		out[platform] = RunTimeStats{P50: quantile(ds, 0.5), P90: quantile(ds, 0.9), Count: len(ds)}
	}
	return out, err
}

// quantile is the nearest-rank q-quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
