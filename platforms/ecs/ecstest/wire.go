package ecstest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// The request and response shapes below follow the Amazon ECS API
// reference (JSON 1.1 protocol, member names in lowerCamelCase). Only the
// members the middleware reads or writes are declared; the shape tests in
// platforms/ecs decode its responses through aws-sdk-go-v2, whose
// deserializers are generated from the same model, so a misspelt member
// fails them.

// RunTaskRequest is a RunTask request body as the client sent it.
type RunTaskRequest struct {
	Cluster                  string                 `json:"cluster"`
	TaskDefinition           string                 `json:"taskDefinition"`
	Count                    int                    `json:"count"`
	LaunchType               string                 `json:"launchType"`
	CapacityProviderStrategy []CapacityProviderItem `json:"capacityProviderStrategy"`
	NetworkConfiguration     *NetworkConfiguration  `json:"networkConfiguration"`
	Overrides                *TaskOverride          `json:"overrides"`
	StartedBy                string                 `json:"startedBy"`
	Tags                     []Tag                  `json:"tags"`
	ClientToken              string                 `json:"clientToken"`
}

// CapacityProviderItem is one entry of a capacity provider strategy.
type CapacityProviderItem struct {
	CapacityProvider string `json:"capacityProvider"`
	Weight           int    `json:"weight"`
	Base             int    `json:"base"`
}

// NetworkConfiguration is RunTask's networkConfiguration.
type NetworkConfiguration struct {
	AwsvpcConfiguration *AwsvpcConfiguration `json:"awsvpcConfiguration"`
}

// AwsvpcConfiguration places the task's network interface.
type AwsvpcConfiguration struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups"`
	AssignPublicIP string   `json:"assignPublicIp"`
}

// TaskOverride is RunTask's overrides.
type TaskOverride struct {
	ContainerOverrides []ContainerOverride `json:"containerOverrides"`
}

// ContainerOverride changes one container of the task definition.
type ContainerOverride struct {
	Name        string         `json:"name"`
	Environment []KeyValuePair `json:"environment"`
}

// KeyValuePair is an environment variable.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Env returns the environment the request gives the named container.
func (r RunTaskRequest) Env(container string) map[string]string {
	if r.Overrides == nil {
		return nil
	}
	for _, o := range r.Overrides.ContainerOverrides {
		if o.Name == container {
			env := map[string]string{}
			for _, kv := range o.Environment {
				env[kv.Name] = kv.Value
			}
			return env
		}
	}
	return nil
}

// Provider returns the first capacity provider of the request's strategy.
func (r RunTaskRequest) Provider() string {
	if len(r.CapacityProviderStrategy) == 0 {
		return ""
	}
	return r.CapacityProviderStrategy[0].CapacityProvider
}

// Failure is an entry of a failures[] array.
type Failure struct {
	Arn    string `json:"arn,omitempty"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// listTasksRequest is a ListTasks request body.
type listTasksRequest struct {
	Cluster           string `json:"cluster"`
	DesiredStatus     string `json:"desiredStatus"`
	StartedBy         string `json:"startedBy"`
	LaunchType        string `json:"launchType"`
	Family            string `json:"family"`
	ServiceName       string `json:"serviceName"`
	ContainerInstance string `json:"containerInstance"`
	MaxResults        *int   `json:"maxResults"`
	NextToken         string `json:"nextToken"`
}

// listTasksResponse is a ListTasks answer.
type listTasksResponse struct {
	TaskArns  []string `json:"taskArns"`
	NextToken string   `json:"nextToken,omitempty"`
}

// taskRequest is the part of DescribeTasks and StopTask requests read here.
type taskRequest struct {
	Cluster string   `json:"cluster"`
	Tasks   []string `json:"tasks"`
	Task    string   `json:"task"`
	Reason  string   `json:"reason"`
	Include []string `json:"include"`
}

const contentType = "application/x-amz-json-1.1"

// writeJSON answers as ECS does: JSON 1.1 with a request id.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"__type":"ServerException","message":"encode response"}`)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError answers with a JSON 1.1 error: the code in __type, as ECS
// writes it, plus any modelled members of the exception.
func writeError(w http.ResponseWriter, status int, code, message string, members map[string]any) {
	body := map[string]any{"__type": code, "message": message}
	for k, v := range members {
		body[k] = v
	}
	writeJSON(w, status, body)
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
