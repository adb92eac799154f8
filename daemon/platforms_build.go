package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/kubernetes"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/store"
)

// buildPlatforms builds the platforms PLATFORM_PRIORITY names.
func buildPlatforms(cfg Config, s *Server) ([]platforms.Platform, error) {
	var out []platforms.Platform
	for _, name := range cfg.PlatformPriority {
		p, err := buildPlatform(name, cfg, s)
		if err != nil {
			return nil, fmt.Errorf("platform %s: %w", name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func buildPlatform(name string, cfg Config, s *Server) (platforms.Platform, error) {
	switch name {
	case platforms.Local:
		return local.New(local.Config{
			Command:  cfg.LocalBotCommand,
			Limit:    cfg.Limits[platforms.Local],
			StateDir: filepath.Join(cfg.DataDir, "local"),
			LogSink:  s.captureLine,
			Logger:   s.log.With("component", "local"),
		})
	case platforms.Kubernetes:
		kc, err := kubernetes.ConfigFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		cs, err := kubernetes.NewClientset(os.Getenv)
		if err != nil {
			return nil, err
		}
		return kubernetes.New(kc, cs, s.log.With("component", "k8s"))
	}
	return nil, fmt.Errorf("not available in this build of meeboter (available: local, k8s)")
}

var lineSeq atomic.Int64

// captureLine stores a line a bot process wrote as the bot's log. Lines
// are batched; each gets a unique entry id so none is dropped as a repeat.
func (s *Server) captureLine(botID int64, stream, line string) {
	level := "INFO"
	if stream == "stderr" {
		level = "WARN"
	}
	s.logs.add(store.LogEntry{
		BotID: botID, EntryID: fmt.Sprintf("%s-%s-%d", s.instance, stream, lineSeq.Add(1)),
		Time: s.now(), Level: level, Message: truncate(line, maxLogMessage), Fields: []byte(`{"source":"` + stream + `"}`),
	})
}
