package daemon

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/ecs"
	"github.com/meeboter/meeboter/platforms/kubernetes"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/platforms/null"
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
			PassEnv:  cfg.LocalBotEnv,
			User:     cfg.LocalBotUser,
			Logger:   s.log, // the platform names itself (component=platform_local)
		})
	case platforms.Kubernetes:
		kc, err := kubernetes.ConfigFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		c, err := kubernetes.ClientFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		return kubernetes.New(kc, c, s.log.With("component", "k8s"))
	case platforms.AWS:
		ec, err := ecs.ConfigFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		return ecs.New(ec, s.log.With("component", "ecs"))
	case null.Name:
		return null.New(filepath.Join(cfg.DataDir, null.Name), cmp.Or(cfg.Limits[null.Name], 10000))
	case platforms.Coolify:
		cc, err := coolify.ConfigFromEnv(os.Getenv)
		if err != nil {
			return nil, err
		}
		pool, err := coolify.New(cc, coolify.Options{Logger: s.log})
		if err != nil {
			return nil, err
		}
		return coolify.NewPlatform(pool), nil
	}
	return nil, fmt.Errorf("not available in this build of meeboter (available: local, k8s, aws, coolify)")
}

// captureLine stores a line a bot process wrote as the bot's log. The
// local platform may adopt running bots, and so capture lines, before the
// agent service exists; those first lines are dropped.
func (s *Server) captureLine(botID int64, stream, line string) {
	if a := s.sink.Load(); a != nil {
		a.CaptureLine(botID, stream, line)
	}
}
