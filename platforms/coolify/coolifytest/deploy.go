package coolifytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// deploy plays DeployController::deploy for uuids: one entry per found
// resource. A skipped deploy keeps Coolify's quirk: its entry carries a
// fresh deployment uuid that names no deployment.
func (s *Server) deploy(w http.ResponseWriter, r *http.Request) {
	uuids := r.URL.Query().Get("uuid")
	if uuids == "" && strings.Contains(r.Header.Get("Content-Type"), "json") {
		var b struct {
			UUID string `json:"uuid"`
		}
		_ = json.NewDecoder(r.Body).Decode(&b)
		uuids = b.UUID
	}
	if uuids == "" {
		writeJSON(w, http.StatusBadRequest, message("You must provide uuid or tag."))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var entries []map[string]any
	for _, uuid := range strings.Split(uuids, ",") {
		a := s.apps[uuid]
		if a == nil {
			continue
		}
		d, skipped, full := s.queue(a, false)
		switch {
		case full:
			w.Header().Set("Retry-After", "60")
			writeJSON(w, http.StatusTooManyRequests, message("Deployment queue is full. Please wait for existing deployments to complete."))
			return
		case skipped:
			entries = append(entries, map[string]any{"message": "Deployment already queued for this commit.",
				"resource_uuid": uuid, "deployment_uuid": s.newUUID("d")})
		default:
			entries = append(entries, map[string]any{"message": "Application " + a.name + " deployment queued.",
				"resource_uuid": uuid, "deployment_uuid": d.uuid})
		}
	}
	if len(entries) == 0 {
		writeJSON(w, http.StatusNotFound, message("No resources found."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deployments": entries})
}

// start plays action_deploy: a skipped start answers only its message.
func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found."))
		return
	}
	instant, _ := strconv.ParseBool(r.URL.Query().Get("instant_deploy"))
	d, skipped, full := s.queue(a, instant)
	switch {
	case skipped:
		writeJSON(w, http.StatusOK, message("Deployment already queued for this commit."))
	case full: // the controller does not check for a full queue: it answers as if queued
		writeJSON(w, http.StatusOK, map[string]any{"message": "Deployment request queued.", "deployment_uuid": s.newUUID("d")})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"message": "Deployment request queued.", "deployment_uuid": d.uuid})
	}
}

// stop plays action_stop: the stop is queued (StopApplication), and the
// container is removed StopDelay later. A deployment still running is not
// stopped by it and starts the container when it finishes, as in Coolify.
func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found."))
		return
	}
	s.after(s.opts.StopDelay, func() {
		a.status, a.updatedAt = "exited", time.Now()
		s.containerStopped(a)
	})
	writeJSON(w, http.StatusOK, message("Application stopping request queued."))
}

// cancelDeployment plays cancel_deployment: only a queued or running
// deployment can be cancelled.
func (s *Server) cancelDeployment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deploymentOf(r)
	if d == nil {
		writeJSON(w, http.StatusNotFound, message("Deployment not found."))
		return
	}
	if d.status != statusQueued && d.status != statusInProgress {
		writeJSON(w, http.StatusBadRequest, message("Deployment cannot be cancelled. Current status: "+d.status))
		return
	}
	s.end(d, statusCancelled, "Deployment cancelled by user via API.")
	writeJSON(w, http.StatusOK, map[string]any{"message": "Deployment cancelled successfully.",
		"deployment_uuid": d.uuid, "status": d.status})
}

// deploymentOf finds the deployment named in the path, if its application
// still exists (Coolify answers 404 otherwise); with s.mu held.
func (s *Server) deploymentOf(r *http.Request) *deployment {
	d := s.deployments[r.PathValue("uuid")]
	if d == nil || s.apps[d.app.uuid] != d.app {
		return nil
	}
	return d
}

func (s *Server) getDeployment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deploymentOf(r)
	if d == nil {
		writeJSON(w, http.StatusNotFound, message("Deployment not found."))
		return
	}
	writeJSON(w, http.StatusOK, s.deploymentJSON(d))
}

// appDeployments plays get_application_deployments: {count, deployments},
// newest first, paged by skip and take.
func (s *Server) appDeployments(w http.ResponseWriter, r *http.Request) {
	skip, take, ok := pageParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found"))
		return
	}
	var all []*deployment
	for i := len(s.order) - 1; i >= 0; i-- {
		if s.order[i].app == a {
			all = append(all, s.order[i])
		}
	}
	page := []map[string]any{}
	for i := skip; i < len(all) && i < skip+take; i++ {
		page = append(page, s.deploymentJSON(all[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(all), "deployments": page})
}

// pageParams reads skip (>= 0, default 0) and take (>= 1, default 10),
// answering Laravel's 422 for anything else.
func pageParams(w http.ResponseWriter, r *http.Request) (int, int, bool) {
	p := problems{}
	read := func(name string, def, lowest int) int {
		v := r.URL.Query().Get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			p.add(name, "The "+name+" field must be an integer.")
		} else if n < lowest {
			p.add(name, "The "+name+" field must be at least "+strconv.Itoa(lowest)+".")
		}
		return n
	}
	skip, take := read("skip", 0, 0), read("take", 10, 1)
	for _, name := range []string{"skip", "take"} {
		if msgs := p[name]; len(msgs) > 0 { // Laravel's message is the first error
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": msgs[0], "errors": p})
			return 0, 0, false
		}
	}
	return skip, take, true
}
