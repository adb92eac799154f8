package ecstest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
)

// listTasks answers ListTasks, which kumo lacks, from the tasks started
// through this server. It follows the API reference: desiredStatus
// defaults to RUNNING and PENDING matches nothing (ECS never sets it),
// startedBy matches exactly, maxResults is 1..100 (default 100), and
// nextToken continues after the last task of the previous page. Filters
// this server cannot apply are refused rather than ignored, so a test
// never passes on a filter that did nothing.
func (s *Server) listTasks(w http.ResponseWriter, body []byte) {
	var req listTasksRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error(), nil)
		return
	}
	if req.Family != "" || req.ServiceName != "" || req.ContainerInstance != "" {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "ecstest: family, serviceName and containerInstance filters are not emulated", nil)
		return
	}
	limit := maxDescribe
	if req.MaxResults != nil {
		if *req.MaxResults < 1 || *req.MaxResults > 100 {
			writeError(w, http.StatusBadRequest, "InvalidParameterException", "maxResults must be between 1 and 100", nil)
			return
		}
		limit = *req.MaxResults
	}
	after, ok := decodeToken(req.NextToken)
	if !ok {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "Invalid nextToken", nil)
		return
	}
	desired := req.DesiredStatus
	if desired == "" {
		desired = "RUNNING"
	}
	switch desired {
	case "RUNNING", "PENDING", "STOPPED":
	default:
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "desiredStatus must be RUNNING, PENDING or STOPPED", nil)
		return
	}
	writeJSON(w, http.StatusOK, s.page(req, clusterName(req.Cluster), desired, after, limit))
}

// page selects one page of matching tasks.
func (s *Server) page(req listTasksRequest, cluster, desired string, after, limit int) listTasksResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	arns := s.taskARNs(func(t *task) bool {
		return t.cluster == cluster && t.seq > after && t.state.DesiredStatus == desired &&
			(req.StartedBy == "" || t.startedBy == req.StartedBy) &&
			(req.LaunchType == "" || req.LaunchType == "FARGATE" && t.provider != "")
	})
	resp := listTasksResponse{TaskArns: arns}
	if len(arns) > limit {
		resp.TaskArns = arns[:limit]
		resp.NextToken = encodeToken(s.tasks[arns[limit-1]].seq)
	}
	if resp.TaskArns == nil {
		resp.TaskArns = []string{}
	}
	return resp
}

// The token is opaque to clients, as ECS's is; it holds the sequence
// number of the last task returned, so tasks that stop or start between
// pages neither shift nor repeat the rest.
func encodeToken(seq int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.Itoa(seq)))
}

func decodeToken(tok string) (int, bool) {
	if tok == "" {
		return 0, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) < len("after:") || string(raw[:6]) != "after:" {
		return 0, false
	}
	n, err := strconv.Atoi(string(raw[6:]))
	return n, err == nil && n >= 0
}
