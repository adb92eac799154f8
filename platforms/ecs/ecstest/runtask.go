package ecstest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// replay is the first answer to a client token, kept for its retries.
type replay struct {
	params []byte // the request without its token, canonical JSON
	body   []byte
	arns   []string
}

// runTask records the request, honours its client token, applies injected
// refusals, and otherwise lets kumo start the task and reports it as a
// fresh Fargate task: PROVISIONING, with its startedBy and provider.
func (s *Server) runTask(w http.ResponseWriter, r *http.Request, body []byte) {
	var req RunTaskRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error(), nil)
		return
	}
	cluster := clusterName(req.Cluster)
	params := canonicalWithout(body, "clientToken")
	// ECS settles a token once even when its retries race; holding the
	// lock across the forward does the same here.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	key := cluster + "\x00" + req.ClientToken
	if prev := s.tokens[key]; req.ClientToken != "" && prev != nil {
		s.answerRetry(w, prev, params)
		return
	}
	out, ok := s.startTask(w, r, body, req, cluster)
	if !ok {
		return
	}
	if req.ClientToken != "" {
		s.tokens[key] = &replay{params: params, body: out.body, arns: out.arns}
	}
	if s.faults.take(s.faults.lose, "RunTask") {
		writeError(w, http.StatusInternalServerError, "ServerException", "Service unavailable, the response was lost", nil)
		return
	}
	writeRaw(w, out.body)
}

// answerRetry answers a reused client token: the first answer again when
// the parameters match, else ConflictException naming the earlier tasks.
func (s *Server) answerRetry(w http.ResponseWriter, prev *replay, params []byte) {
	if !bytes.Equal(prev.params, params) {
		writeError(w, http.StatusBadRequest, "ConflictException",
			"The client token was already used with different request parameters.",
			map[string]any{"resourceIds": prev.arns})
		return
	}
	writeRaw(w, prev.body)
}

// started is kumo's answer to RunTask, rewritten.
type started struct {
	body []byte
	arns []string
}

// startTask answers an injected refusal, or has kumo start the task. ok is
// false when an answer was already written. Callers hold s.mu.
func (s *Server) startTask(w http.ResponseWriter, r *http.Request, body []byte, req RunTaskRequest, cluster string) (started, bool) {
	if f, refused := s.refusal(req.Provider()); refused {
		if f.Arn == "" {
			f.Arn = "arn:aws:ecs:us-east-1:000000000000:cluster/" + cluster
		}
		out, _ := json.Marshal(map[string]any{"tasks": []any{}, "failures": []Failure{f}})
		return started{body: out}, true
	}
	status, out, err := s.forward(r, body)
	if err != nil || status != http.StatusOK {
		s.writeForwardError(w, status, out, err)
		return started{}, false
	}
	var resp struct {
		Tasks    []map[string]any `json:"tasks"`
		Failures []any            `json:"failures"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		writeError(w, http.StatusInternalServerError, "ServerException", "emulator answer: "+err.Error(), nil)
		return started{}, false
	}
	var arns []string
	for _, m := range resp.Tasks {
		arn, _ := m["taskArn"].(string)
		s.seq++
		t := &task{seq: s.seq, cluster: cluster, startedBy: req.StartedBy, provider: req.Provider(),
			state: State{LastStatus: "PROVISIONING", DesiredStatus: "RUNNING"}}
		s.tasks[arn] = t
		t.render(m, true)
		arns = append(arns, arn)
	}
	rewritten, _ := json.Marshal(map[string]any{"tasks": resp.Tasks, "failures": orEmpty(resp.Failures)})
	return started{body: rewritten, arns: arns}, true
}

func (s *Server) writeForwardError(w http.ResponseWriter, status int, out []byte, err error) {
	if err != nil {
		writeError(w, http.StatusInternalServerError, "ServerException", "emulator: "+err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func writeRaw(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// canonicalWithout re-encodes a JSON object without one member, with its
// keys sorted, so two requests compare equal when their parameters do.
func canonicalWithout(body []byte, member string) []byte {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return body
	}
	delete(m, member)
	out, _ := json.Marshal(m)
	return out
}

// clusterName is the short name of a cluster given by name or ARN, with
// ECS's default for none.
func clusterName(cluster string) string {
	if i := strings.LastIndex(cluster, ":cluster/"); i >= 0 {
		return cluster[i+len(":cluster/"):]
	}
	if cluster == "" {
		return "default"
	}
	return cluster
}

func orEmpty(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}
