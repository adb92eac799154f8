package ecstest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// Cluster creates a cluster with a name no other test uses (kumo's state is
// shared by every Server in the process) and returns the name.
func (s *Server) Cluster(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "meeboter-test-" + hex.EncodeToString(b[:])
	if _, err := s.call("CreateCluster", map[string]any{
		"clusterName":       name,
		"capacityProviders": []string{"FARGATE", "FARGATE_SPOT"},
	}); err != nil {
		tb.Fatalf("ecstest: create cluster: %v", err)
	}
	return name
}

// RegisterTaskDefinition registers a Fargate task definition of family
// with one essential container and returns its ARN.
func (s *Server) RegisterTaskDefinition(tb testing.TB, family, container string) string {
	tb.Helper()
	out, err := s.call("RegisterTaskDefinition", map[string]any{
		"family":                  family,
		"requiresCompatibilities": []string{"FARGATE"},
		"networkMode":             "awsvpc",
		"cpu":                     "512",
		"memory":                  "1024",
		"containerDefinitions": []map[string]any{{
			"name": container, "image": "ghcr.io/meeboter/" + family + ":latest", "essential": true,
		}},
	})
	if err != nil {
		tb.Fatalf("ecstest: register task definition %s: %v", family, err)
	}
	var resp struct {
		TaskDefinition struct {
			TaskDefinitionArn string `json:"taskDefinitionArn"`
		} `json:"taskDefinition"`
	}
	if err := json.Unmarshal(out, &resp); err != nil || resp.TaskDefinition.TaskDefinitionArn == "" {
		tb.Fatalf("ecstest: register task definition %s: answer %s (%v)", family, out, err)
	}
	return resp.TaskDefinition.TaskDefinitionArn
}

// call sends one ECS operation straight to kumo, unsigned (kumo does not
// check signatures), for test setup that is not under test.
func (s *Server) call(op string, in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, s.kumo.URL+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %s", resp.Status, out)
	}
	return out, err
}
