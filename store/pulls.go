package store

import (
	"context"
	"errors"
)

const pullCols = "pull_key, holder, lease_until, pulled_at"

// TryImagePull takes the pull of a key that has not been pulled, when it is
// free, expired or already the caller's, with one upsert: of many callers
// racing, exactly one gets a row back. Everyone else reads the state.
func (s *db) TryImagePull(ctx context.Context, p ImagePullParams) (ImagePull, error) {
	now := s.d.at(p.Now)
	mine, err := s.pullRow(ctx, "INSERT INTO image_pulls (pull_key, holder, lease_until, updated_at) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (pull_key) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, updated_at = excluded.updated_at "+
		"WHERE image_pulls.pulled_at IS NULL AND (image_pulls.holder IS NULL OR image_pulls.lease_until < ? OR image_pulls.holder = excluded.holder) "+
		"RETURNING "+pullCols, p.Key, p.Holder, s.d.at(p.Now.Add(p.LeaseFor)), now, now)
	if err == nil {
		mine.State = PullMine
		return mine, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return ImagePull{}, err
	}
	x, err := s.pullRow(ctx, "SELECT "+pullCols+" FROM image_pulls WHERE pull_key = ?", p.Key)
	if err != nil {
		return ImagePull{}, err
	}
	x.State = PullBusy
	if x.PulledAt != nil {
		x.State = PullDone
	}
	return x, nil
}

func (s *db) pullRow(ctx context.Context, q string, args ...any) (ImagePull, error) {
	var x ImagePull
	err := s.get(ctx, q, args, &x.Key, strCol{&x.Holder}, nullTimeCol{&x.LeaseUntil}, nullTimeCol{&x.PulledAt})
	return x, err
}

// FinishImagePull ends the holder's pull, recording the image as pulled
// when it was.
func (s *db) FinishImagePull(ctx context.Context, p FinishImagePullParams) error {
	now := s.d.at(p.Now)
	var pulled any
	if p.Pulled {
		pulled = now
	}
	n, err := s.exec(ctx, "UPDATE image_pulls SET holder = NULL, lease_until = NULL, pulled_at = COALESCE(?, pulled_at), updated_at = ? "+
		"WHERE pull_key = ? AND holder = ?", pulled, now, p.Key, p.Holder)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM image_pulls WHERE pull_key = ?", p.Key)
	}
	return err
}

// ForgetImagePull drops a key.
func (s *db) ForgetImagePull(ctx context.Context, key string) error {
	_, err := s.exec(ctx, "DELETE FROM image_pulls WHERE pull_key = ?", key)
	return err
}
