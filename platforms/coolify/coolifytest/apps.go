package coolifytest

import (
	"net/http"
	"time"
)

// createApp plays create_dockerimage_application: validation in the
// controller's order, then a new application whose status is exited until
// a deployment runs it.
func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	p := problems{}
	p.notAllowed(b, createFields)
	name, hasName := p.str(b, "name", false)
	desc, hasDesc := p.str(b, "description", false)
	project, _ := p.str(b, "project_uuid", true)
	envName, _ := p.str(b, "environment_name", false)
	envUUID, _ := p.str(b, "environment_uuid", false)
	serverUUID, _ := p.str(b, "server_uuid", true)
	dest, hasDest := p.str(b, "destination_uuid", false)
	if p.reply(w) {
		return
	}
	if envName == "" && envUUID == "" {
		writeJSON(w, http.StatusUnprocessableEntity, message("You need to provide at least one of environment_name or environment_uuid."))
		return
	}
	if !s.placement(w, project, envName, serverUUID, dest, hasDest) {
		return
	}
	a, ok := s.dockerImageFields(w, b)
	if !ok {
		return
	}
	instant := p.boolean(b, "instant_deploy")
	p.boolean(b, "autogenerate_domain")
	if p.reply(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	now := time.Now()
	a.id, a.uuid, a.server, a.status, a.createdAt, a.updatedAt = s.nextID, s.newUUID("a"), serverUUID, "exited", now, now
	a.name = name
	if !hasName {
		a.name = "docker-image-" + s.newUUID("")
	}
	if hasDesc {
		a.description = &desc
	}
	s.apps[a.uuid] = a
	if instant {
		s.queue(a, true)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"uuid": a.uuid, "domains": nil})
}

// placement checks the project, environment, server and destination as
// the controller does, answering 404 or 422 like it.
func (s *Server) placement(w http.ResponseWriter, project, envName, serverUUID, dest string, hasDest bool) bool {
	s.mu.Lock()
	_, serverOK := s.servers[serverUUID]
	s.mu.Unlock()
	switch {
	case project != s.opts.ProjectUUID:
		writeJSON(w, http.StatusNotFound, message("Project not found."))
	case envName != "" && envName != s.opts.EnvironmentName:
		writeJSON(w, http.StatusNotFound, message("Environment not found."))
	case !serverOK:
		writeJSON(w, http.StatusNotFound, message("Server not found."))
	case hasDest && dest != s.opts.DestinationUUID:
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Validation failed.",
			"errors": map[string]any{"destination_uuid": "Provided destination_uuid does not belong to the specified server."}})
	default:
		return true
	}
	return false
}

// dockerImageFields applies the dockerimage rules: a lowercase image
// name, a tag, ports as a list of numbers, limits as strings.
func (s *Server) dockerImageFields(w http.ResponseWriter, b body) (*app, bool) {
	p := problems{}
	a := &app{imageTag: "latest", limitsCPUs: "0", limitsMemory: "0"}
	if v, ok := p.str(b, "docker_registry_image_name", true); ok {
		if len(v) > 255 {
			p.add("docker_registry_image_name", "The docker registry image name field must not be greater than 255 characters.")
		}
		p.match("docker_registry_image_name", v, imageNameRe)
		a.imageName = v
	}
	if v, ok := p.str(b, "docker_registry_image_tag", false); ok {
		p.match("docker_registry_image_tag", v, imageTagRe)
		a.imageTag = v
	}
	if v, ok := p.str(b, "ports_exposes", false); ok {
		p.match("ports_exposes", v, portsRe)
		a.portsExposes = v
	}
	if v, ok := p.str(b, "limits_cpus", false); ok {
		a.limitsCPUs = v
	}
	if v, ok := p.str(b, "limits_memory", false); ok {
		a.limitsMemory = v
	}
	return a, !p.reply(w)
}

// lookup finds an application; with s.mu held.
func (s *Server) lookup(r *http.Request) *app { return s.apps[r.PathValue("uuid")] }

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found."))
		return
	}
	writeJSON(w, http.StatusOK, s.appJSON(a, true))
}

func (s *Server) listApps(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.apps))
	for _, a := range s.appsInOrder() {
		out = append(out, s.appJSON(a, false))
	}
	writeJSON(w, http.StatusOK, out)
}

// updateApp plays update_by_uuid for the fields a pool sends.
func (s *Server) updateApp(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r)
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
	p := problems{}
	p.notAllowed(b, updateFields)
	desc, hasDesc := p.str(b, "description", false)
	name, hasName := p.str(b, "name", false)
	if p.reply(w) {
		return
	}
	if hasDesc {
		a.description = &desc
	} else if string(b["description"]) == "null" {
		a.description = nil
	}
	if hasName {
		a.name = name
	}
	a.updatedAt = time.Now()
	writeJSON(w, http.StatusOK, map[string]any{"uuid": a.uuid})
}

// deleteApp queues the deletion (DeleteResourceJob): the application goes
// after DeleteDelay.
func (s *Server) deleteApp(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found"))
		return
	}
	s.after(s.opts.DeleteDelay, func() { s.remove(a) })
	writeJSON(w, http.StatusOK, message("Application deletion request queued."))
}

// remove deletes an application at once, with its deployments' timers.
func (s *Server) remove(a *app) {
	if s.apps[a.uuid] != a {
		return
	}
	delete(s.apps, a.uuid)
	s.containerStopped(a)
	for _, d := range s.order {
		if d.app == a && (d.status == statusQueued || d.status == statusInProgress) {
			s.end(d, statusCancelled, "Application deleted.")
		}
	}
	s.schedule(a.server)
}
