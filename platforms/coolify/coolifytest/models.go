package coolifytest

import (
	"strconv"
	"strings"
	"time"
)

// app is one application.
type app struct {
	id           int
	uuid, name   string
	description  *string
	status       string
	imageName    string
	imageTag     string
	portsExposes string
	limitsCPUs   string
	limitsMemory string
	server       string
	envs         []*env
	createdAt    time.Time
	updatedAt    time.Time
}

// env is one environment variable of an application.
type env struct {
	id                                 int
	uuid, key, value                   string
	preview, literal, multiline, shown bool
	createdAt                          time.Time
}

// deployment is one row of Coolify's application_deployment_queues.
type deployment struct {
	id        int
	uuid      string
	app       *app
	appID     int
	appName   string
	server    string
	status    string
	logs      []logLine
	createdAt time.Time
	updatedAt time.Time
	cancel    func() // stops its pending timer, when one is pending
}

type logLine struct {
	Command   *string `json:"command"`
	Output    string  `json:"output"`
	Type      string  `json:"type"`
	Timestamp string  `json:"timestamp"`
	Hidden    bool    `json:"hidden"`
	Batch     int     `json:"batch"`
	Order     int     `json:"order"`
}

// server is one Coolify server: its build limit applies to its
// deployments, and it keeps the images it pulled.
type server struct {
	uuid, name string
	images     map[string]bool // name:tag present
	pulls      map[string]int  // name:tag -> pulls
	maxRunning int             // most deployments seen in progress at once
}

// Deployment statuses, as Coolify's ApplicationDeploymentStatus.
const (
	statusQueued     = "queued"
	statusInProgress = "in_progress"
	statusFinished   = "finished"
	statusFailed     = "failed"
	statusCancelled  = "cancelled-by-user"
)

// laravelTime is how Laravel serialises a timestamp.
func laravelTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// randomSuffix makes a Coolify-looking public id part: lowercase letters
// and digits, 24 characters as cuid2 gives.
func randomSuffix(n int) string {
	s := strconv.FormatInt(int64(n)*7919+1_000_003, 36)
	return strings.Repeat("k", max(0, 22-len(s))) + s
}

func (a *app) image() string { return a.imageName + ":" + a.imageTag }

func (a *app) active(s *Server) *deployment {
	for _, d := range s.order {
		if d.app == a && (d.status == statusQueued || d.status == statusInProgress) {
			return d
		}
	}
	return nil
}
