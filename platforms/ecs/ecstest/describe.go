package ecstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// maxDescribe is the most tasks ECS describes in one call.
const maxDescribe = 100

// describeTasks lets kumo describe the tasks, then reports them as the
// middleware knows them: their state, startedBy and provider, tags only
// when asked for, and vanished or failing tasks in failures[].
func (s *Server) describeTasks(w http.ResponseWriter, r *http.Request, body []byte) {
	var req taskRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error(), nil)
		return
	}
	if len(req.Tasks) > maxDescribe {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "Tasks cannot be longer than 100 elements", nil)
		return
	}
	status, out, err := s.forward(r, body)
	if err != nil || status != http.StatusOK {
		s.writeForwardError(w, status, out, err)
		return
	}
	var resp struct {
		Tasks    []map[string]any `json:"tasks"`
		Failures []Failure        `json:"failures"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		writeError(w, http.StatusInternalServerError, "ServerException", "emulator answer: "+err.Error(), nil)
		return
	}
	tags := slices.Contains(req.Include, "TAGS")
	s.mu.Lock()
	defer s.mu.Unlock()
	tasks := []map[string]any{}
	for _, m := range resp.Tasks {
		arn, _ := m["taskArn"].(string)
		t := s.tasks[arn]
		switch {
		case t != nil && t.gone:
			resp.Failures = append(resp.Failures, Failure{Arn: arn, Reason: "MISSING"})
		case s.faults.describe[arn] != "":
			resp.Failures = append(resp.Failures, Failure{Arn: arn, Reason: s.faults.describe[arn]})
		default:
			if t != nil {
				t.render(m, tags)
			} else if !tags {
				delete(m, "tags")
			}
			tasks = append(tasks, m)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": tasks, "failures": orEmptyFailures(resp.Failures)})
}

// stopTask stops the task in kumo and reports it as ECS does right after
// StopTask: desired STOPPED, stop code UserInitiated, containers still
// shutting down. A task that had already stopped keeps how it ended.
func (s *Server) stopTask(w http.ResponseWriter, r *http.Request, body []byte) {
	var req taskRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error(), nil)
		return
	}
	s.mu.Lock()
	t := s.tasks[req.Task]
	gone := t != nil && t.gone
	s.mu.Unlock()
	if gone {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "The referenced task was not found.", nil)
		return
	}
	status, out, err := s.forward(r, body)
	if err != nil || status != http.StatusOK || t == nil {
		s.writeForwardError(w, status, out, err)
		return
	}
	var resp struct {
		Task map[string]any `json:"task"`
	}
	if err := json.Unmarshal(out, &resp); err != nil || resp.Task == nil {
		writeError(w, http.StatusInternalServerError, "ServerException", "emulator answer to StopTask", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.state.DesiredStatus != "STOPPED" {
		t.state = t.state.merge(State{DesiredStatus: "STOPPED", StopCode: "UserInitiated", StoppedReason: req.Reason})
		t.stopping = time.Now()
	}
	t.render(resp.Task, true)
	writeJSON(w, http.StatusOK, resp)
}

// render writes the task's state over kumo's view of it, m. Callers hold
// s.mu.
func (t *task) render(m map[string]any, tags bool) {
	m["lastStatus"] = t.state.LastStatus
	m["desiredStatus"] = t.state.DesiredStatus
	if t.startedBy != "" {
		m["startedBy"] = t.startedBy
	}
	if t.provider != "" {
		m["capacityProviderName"] = t.provider
		m["launchType"] = "FARGATE"
	}
	delete(m, "stoppedReason")
	delete(m, "stoppedAt")
	if t.state.StopCode != "" {
		m["stopCode"] = t.state.StopCode
		m["stoppedReason"] = t.state.StoppedReason
		m["stoppingAt"] = epoch(t.stopping)
	}
	if t.state.LastStatus == "STOPPED" {
		m["stoppedAt"] = epoch(t.stopping)
	}
	if !tags {
		delete(m, "tags")
	}
	containers, _ := m["containers"].([]any)
	for _, c := range containers {
		if cm, ok := c.(map[string]any); ok {
			t.renderContainer(cm)
		}
	}
}

func (t *task) renderContainer(m map[string]any) {
	switch t.state.LastStatus {
	case "RUNNING":
		m["lastStatus"] = "RUNNING"
	case "DEPROVISIONING", "STOPPED":
		m["lastStatus"] = "STOPPED"
	default:
		m["lastStatus"] = "PENDING"
	}
	if t.state.ExitCode != nil {
		m["exitCode"] = *t.state.ExitCode
	}
	if t.state.ContainerReason != "" {
		m["reason"] = t.state.ContainerReason
	}
}

// epoch is a JSON 1.1 timestamp: seconds since 1970, with a fraction.
func epoch(at time.Time) float64 {
	if at.IsZero() {
		at = time.Now()
	}
	return float64(at.UnixNano()) / 1e9
}

func orEmptyFailures(list []Failure) []Failure {
	if list == nil {
		return []Failure{}
	}
	return list
}
