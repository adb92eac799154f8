package coolifytest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// bulkEnvs plays create_bulk_envs: each item upserted by key, the answer
// the stored variables (201).
func (s *Server) bulkEnvs(w http.ResponseWriter, r *http.Request) {
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
	var items []body
	if raw, ok := b["data"]; !ok || json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		writeJSON(w, http.StatusBadRequest, message("Bulk data is required."))
		return
	}
	out := make([]map[string]any, 0, len(items))
	for _, item := range items {
		e, ok := envItem(w, item)
		if !ok {
			return // Coolify stops at the first bad item, keeping the ones before
		}
		out = append(out, envJSON(s.upsertEnv(a, e)))
	}
	writeJSON(w, http.StatusCreated, out)
}

// envItem validates one item as the controller's customApiValidator does.
func envItem(w http.ResponseWriter, item body) (*env, bool) {
	p := problems{}
	e := &env{}
	if k, ok := p.str(item, "key", true); ok {
		e.key = strings.ReplaceAll(strings.TrimSpace(k), " ", "_")
		if len(e.key) > 255 {
			p.add("key", "The key field must not be greater than 255 characters.")
		}
		p.match("key", e.key, envKeyRe)
	}
	e.value, _ = p.str(item, "value", false)
	e.preview = p.boolean(item, "is_preview")
	e.literal = p.boolean(item, "is_literal")
	e.multiline = p.boolean(item, "is_multiline")
	e.shown = p.boolean(item, "is_shown_once")
	return e, !p.reply(w)
}

func (s *Server) upsertEnv(a *app, e *env) *env {
	for _, old := range a.envs {
		if old.key == e.key && old.preview == e.preview {
			old.value, old.literal, old.multiline, old.shown = e.value, e.literal, e.multiline, e.shown
			return old
		}
	}
	s.nextID++
	e.id, e.uuid, e.createdAt = s.nextID, s.newUUID("e"), time.Now()
	a.envs = append(a.envs, e)
	a.updatedAt = e.createdAt
	return e
}

func (s *Server) listEnvs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookup(r)
	if a == nil {
		writeJSON(w, http.StatusNotFound, message("Application not found."))
		return
	}
	out := make([]map[string]any, 0, len(a.envs))
	for _, e := range a.envs {
		out = append(out, envJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// envJSON renders a variable for a token without read:sensitive: Coolify
// hides value and real_value then, and always for is_shown_once.
func envJSON(e *env) map[string]any {
	return map[string]any{
		"uuid": e.uuid, "key": e.key, "is_literal": e.literal, "is_multiline": e.multiline, "is_preview": e.preview,
		"is_runtime": true, "is_buildtime": true, "is_shared": false, "is_shown_once": e.shown, "comment": nil,
		"version": "4.0.0", "created_at": laravelTime(e.createdAt), "updated_at": laravelTime(e.createdAt),
	}
}

func logsJSON(lines []logLine) string {
	if lines == nil {
		lines = []logLine{}
	}
	b, _ := json.Marshal(lines)
	return string(b)
}
