package ecs

import "strings"

// taskRef is a task ARN taken apart. Cluster is empty in the old ARN
// format (task/<id>), which ECS still accepts.
type taskRef struct {
	Cluster, ID string
}

// parseTaskARN reads arn:<partition>:ecs:<region>:<account>:task/[<cluster>/]<id>.
// Identifiers come from the daemon's database and from ECS; anything else
// (another platform's id, a mangled string) is refused here rather than
// sent to ECS, which answers garbage with a request error, not MISSING.
func parseTaskARN(s string) (taskRef, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "ecs" ||
		!validName(parts[3], 32) || !validName(parts[4], 12) {
		return taskRef{}, false
	}
	rest, ok := strings.CutPrefix(parts[5], "task/")
	if !ok {
		return taskRef{}, false
	}
	cluster, id, found := strings.Cut(rest, "/")
	if !found {
		cluster, id = "", rest
	} else if !validName(cluster, 255) {
		return taskRef{}, false
	}
	if !validName(id, 64) {
		return taskRef{}, false
	}
	return taskRef{Cluster: cluster, ID: id}, true
}

// validName reports whether s is 1..max letters, digits, '-' or '_': the
// characters ECS allows in cluster names and task ids (and an account id
// is digits).
func validName(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// clusterName is the short name of a cluster given by name or ARN.
func clusterName(cluster string) string {
	if i := strings.LastIndex(cluster, ":cluster/"); i >= 0 {
		return cluster[i+len(":cluster/"):]
	}
	return cluster
}

// ownTask parses id and reports whether it names a task of this cluster.
func (c Config) ownTask(id string) (taskRef, bool) {
	ref, ok := parseTaskARN(id)
	if !ok || ref.Cluster != "" && ref.Cluster != clusterName(c.Cluster) {
		return taskRef{}, false
	}
	return ref, true
}
