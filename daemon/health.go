package daemon

import (
	"context"
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/trpcapi"
)

// health describes this daemon for the health endpoints.
func (s *Server) health(status string) api.Health {
	return api.Health{Status: status, Version: s.cfg.Version, Engine: s.store.Engine(), Leader: s.leader.Leading()}
}

// ready is nil when the database answers.
func (s *Server) ready(ctx context.Context) error {
	_, err := s.store.CountUsers(ctx)
	return err
}

// botProtocol serves the original bot images' protocol.
func (s *Server) botProtocol() http.Handler {
	return trpcapi.Handler(s.agent, s.cfg.SharedBotToken, s.component("trpc"), s.metrics)
}

// PublicURL is the daemon's URL as clients and bots reach it.
func (s *Server) PublicURL() string { return s.cfg.PublicURL }
