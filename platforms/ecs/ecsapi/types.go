package ecsapi

// The shapes below are the members of the Amazon ECS API (JSON 1.1,
// lowerCamelCase) that the platform sends and reads; everything else in
// an answer is ignored. Strings the model makes optional are plain
// strings here: the platform treats an absent member and an empty one
// alike. The tests hold each shape to aws-sdk-go-v2's serializers and
// deserializers, which are generated from the service's model.

// RunTaskInput is a RunTask request.
type RunTaskInput struct {
	Cluster                  string                         `json:"cluster,omitempty"`
	TaskDefinition           string                         `json:"taskDefinition"`
	Count                    int32                          `json:"count,omitempty"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	NetworkConfiguration     *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	Overrides                *TaskOverride                  `json:"overrides,omitempty"`
	StartedBy                string                         `json:"startedBy,omitempty"`
	Tags                     []Tag                          `json:"tags,omitempty"`
	ClientToken              string                         `json:"clientToken,omitempty"`
}

// CapacityProviderStrategyItem asks for a capacity provider.
type CapacityProviderStrategyItem struct {
	CapacityProvider string `json:"capacityProvider"`
	Weight           int32  `json:"weight,omitempty"`
	Base             int32  `json:"base,omitempty"`
}

// NetworkConfiguration is where the task's network interface goes.
type NetworkConfiguration struct {
	AwsvpcConfiguration *AwsVpcConfiguration `json:"awsvpcConfiguration,omitempty"`
}

// AwsVpcConfiguration places an awsvpc task's interface.
type AwsVpcConfiguration struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	// AssignPublicIp is ENABLED or DISABLED.
	AssignPublicIp string `json:"assignPublicIp,omitempty"`
}

// TaskOverride changes the task definition for one task.
type TaskOverride struct {
	ContainerOverrides []ContainerOverride `json:"containerOverrides,omitempty"`
}

// ContainerOverride changes one container. Environment is always sent,
// even empty, as the SDK sends a non-nil list.
type ContainerOverride struct {
	Name        string         `json:"name,omitempty"`
	Environment []KeyValuePair `json:"environment"`
}

// KeyValuePair is an environment variable. An empty value is sent as
// such: the variable is set, to nothing.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RunTaskOutput is RunTask's answer: the task started, or why not.
type RunTaskOutput struct {
	Tasks    []Task    `json:"tasks"`
	Failures []Failure `json:"failures"`
}

// Failure is an entry of failures[]: a resource ECS did not act on.
type Failure struct {
	Arn    string `json:"arn"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// Task is a described task, with the members the platform reads.
type Task struct {
	TaskArn              string      `json:"taskArn"`
	ClusterArn           string      `json:"clusterArn"`
	TaskDefinitionArn    string      `json:"taskDefinitionArn"`
	LastStatus           string      `json:"lastStatus"`
	DesiredStatus        string      `json:"desiredStatus"`
	StartedBy            string      `json:"startedBy"`
	StopCode             string      `json:"stopCode"`
	StoppedReason        string      `json:"stoppedReason"`
	CapacityProviderName string      `json:"capacityProviderName"`
	LaunchType           string      `json:"launchType"`
	Tags                 []Tag       `json:"tags"`
	Containers           []Container `json:"containers"`
}

// Task stop codes the platform tells apart (TaskStopCode in the model).
const (
	StopCodeTaskFailedToStart         = "TaskFailedToStart"
	StopCodeEssentialContainerExited  = "EssentialContainerExited"
	StopCodeUserInitiated             = "UserInitiated"
	StopCodeServiceSchedulerInitiated = "ServiceSchedulerInitiated"
	StopCodeSpotInterruption          = "SpotInterruption"
	StopCodeTerminationNotice         = "TerminationNotice"
)

// Container is one container of a described task. ExitCode is nil until
// the container has exited, which a zero would not say.
type Container struct {
	Name       string `json:"name"`
	LastStatus string `json:"lastStatus"`
	Reason     string `json:"reason"`
	ExitCode   *int32 `json:"exitCode"`
}

// DescribeTasksInput asks for up to 100 tasks. Include TAGS to get their
// tags, which ECS leaves out otherwise.
type DescribeTasksInput struct {
	Cluster string   `json:"cluster,omitempty"`
	Tasks   []string `json:"tasks"`
	Include []string `json:"include,omitempty"`
}

// IncludeTags is DescribeTasks' include value for the tasks' tags.
const IncludeTags = "TAGS"

// DescribeTasksOutput is DescribeTasks' answer; an unknown task is a
// failure with reason MISSING.
type DescribeTasksOutput struct {
	Tasks    []Task    `json:"tasks"`
	Failures []Failure `json:"failures"`
}

// StopTaskInput stops one task; Reason shows in the console.
type StopTaskInput struct {
	Cluster string `json:"cluster,omitempty"`
	Task    string `json:"task"`
	Reason  string `json:"reason,omitempty"`
}

// StopTaskOutput is the stopped task.
type StopTaskOutput struct {
	Task *Task `json:"task"`
}

// ListTasksInput asks for a page of a cluster's task ARNs.
type ListTasksInput struct {
	Cluster string `json:"cluster,omitempty"`
	// DesiredStatus is RUNNING (ECS's default) or STOPPED.
	DesiredStatus string `json:"desiredStatus,omitempty"`
	StartedBy     string `json:"startedBy,omitempty"`
	MaxResults    int32  `json:"maxResults,omitempty"`
	NextToken     string `json:"nextToken,omitempty"`
}

// ListTasksOutput is a page of task ARNs and the token of the next.
type ListTasksOutput struct {
	TaskArns  []string `json:"taskArns"`
	NextToken string   `json:"nextToken"`
}
