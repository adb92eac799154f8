package daemon

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
)

// The native agent API: thin decoders over the same services the tRPC
// protocol of the original bot images uses.

func (s *Server) agentConfigHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.agentConfig(agentBot(r.Context()))
}

func (s *Server) agentHeartbeatHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.agentHeartbeat(agentBot(r.Context())), nil
}

func (s *Server) agentStatusHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentStatusRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	return s.agentStatus(r.Context(), agentBot(r.Context()), req)
}

func (s *Server) agentEventsHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentEventsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	return s.agentEvents(r.Context(), agentBot(r.Context()), req.Events)
}

func (s *Server) agentLogsHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentLogsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	return s.agentLogs(r.Context(), agentBot(r.Context()), req.Entries)
}

func (s *Server) agentDequeueHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	m, err := s.agentDequeue(r.Context(), agentBot(r.Context()))
	if err != nil || m == nil {
		return noContent{}, err
	}
	return m, nil
}

func (s *Server) agentScreenshotHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	up, err := readScreenshot(w, r)
	if err != nil {
		return nil, err
	}
	sc, err := s.saveScreenshot(r.Context(), agentBot(r.Context()), up)
	if err != nil {
		return nil, err
	}
	return created{screenshotToAPI(sc)}, nil
}
