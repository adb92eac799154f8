package daemon

import (
	"sync/atomic"

	"github.com/meeboter/meeboter/api"
)

// leaderFlag says whether this daemon runs the workers right now.
type leaderFlag struct{ atomic.Bool }

func (s *Server) health(status string) api.Health {
	return api.Health{Status: status, Version: s.cfg.Version, Engine: s.store.Engine(), Leader: s.isLeader.Load()}
}
