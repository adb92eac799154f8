package daemon

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/dirblob"
	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/daemon/archive"
)

// blobsDir is the directory store's root in the data directory, where
// screenshots were kept before the blob store existed (dirblob reads
// those files as they are).
const blobsDir = "blobs"

// openBlobs builds the blob store the configuration names: the S3 bucket
// of the S3_* settings when any is set, else files under the data
// directory, whose signed URLs the daemon serves itself (the returned
// handler, nil for S3). It is the one place that choice is made.
func openBlobs(ctx context.Context, cfg Config, secret []byte, now func() time.Time) (blob.Store, http.Handler, error) {
	if len(cfg.S3) > 0 {
		sc, err := s3blob.ConfigFromEnv(func(k string) string { return cfg.S3[k] })
		if err != nil {
			return nil, nil, fmt.Errorf("blob store: %w", err)
		}
		sc.Now = now
		st, err := s3blob.New(sc)
		if err != nil {
			return nil, nil, fmt.Errorf("blob store: %w", err)
		}
		ping, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := st.Ping(ping); err != nil {
			return nil, nil, fmt.Errorf("blob store: %w", err)
		}
		return st, nil, nil
	}
	// The configured secret may be short; its digest is always long enough.
	key := sha256.Sum256(secret)
	st, err := dirblob.New(dirblob.Config{Dir: filepath.Join(DataDir(cfg.DataDir), blobsDir), BaseURL: cfg.PublicURL, SigningKey: key[:], Now: now})
	if err != nil {
		return nil, nil, fmt.Errorf("blob store: %w", err)
	}
	return st, st.Handler(), nil
}

// archiveConfig is the archive's share of the configuration.
func (s *Server) archiveConfig() archive.Config {
	st := s.cfg.Storage
	return archive.Config{ChunkLines: st.ArchiveLines, Every: st.ArchiveEvery, Quiet: st.ArchiveQuiet, Interval: s.cfg.WorkerInterval,
		LogRetention: st.LogRetention, ScreenshotRetention: st.ScreenshotRetention,
		ScreenshotURLTTL: st.ScreenshotURLTTL, RecordingURLTTL: st.RecordingURLTTL}
}

// Blobs is the daemon's blob store, for tests and tools that check what
// it holds.
func (s *Server) Blobs() blob.Store { return s.blobs }
