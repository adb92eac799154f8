package coolifytest

import (
	"errors"
	"fmt"
	"maps"
	"time"
)

// What a test reads and drives: calls made, pulls, a slot's environment,
// and the containers' part.

// Calls returns how many calls each route got (throttled and refused ones
// included, as Coolify's counters would).
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// Pulls returns how many times a server pulled an image (name:tag).
func (s *Server) Pulls(serverUUID, image string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv := s.servers[serverUUID]; sv != nil {
		return sv.pulls[image]
	}
	return 0
}

// MaxRunning returns the most deployments a server ever ran at once, which
// concurrent_builds bounds.
func (s *Server) MaxRunning(serverUUID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv := s.servers[serverUUID]; sv != nil {
		return sv.maxRunning
	}
	return 0
}

// AppInfo is what a test can see of an application.
type AppInfo struct {
	UUID, Name, Status, Image, Description string
	Env                                    map[string]string
	// Deployments lists its deployments' statuses, oldest first.
	Deployments []string
}

// App returns an application as the fake holds it, with the environment
// its container would get.
func (s *Server) App(uuid string) (AppInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[uuid]
	if a == nil {
		return AppInfo{}, false
	}
	info := AppInfo{UUID: a.uuid, Name: a.name, Status: a.status, Image: a.image(), Env: map[string]string{}}
	if a.description != nil {
		info.Description = *a.description
	}
	for _, e := range a.envs {
		if !e.preview {
			info.Env[e.key] = e.value
		}
	}
	for _, d := range s.order {
		if d.app == a {
			info.Deployments = append(info.Deployments, d.status)
		}
	}
	return info, true
}

// Apps lists every application's uuid, by creation.
func (s *Server) Apps() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.appsInOrder() {
		out = append(out, a.uuid)
	}
	return out
}

// SetAppStatus sets an application's status, as its container would
// change it: running:healthy once the bot runs, exited when it is gone,
// degraded:unhealthy while it crash-loops.
func (s *Server) SetAppStatus(uuid, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[uuid]
	if a == nil {
		return fmt.Errorf("coolifytest: no application %s", uuid)
	}
	a.status, a.updatedAt = status, time.Now()
	return nil
}

// FinishDeployment ends an application's running deployment well (for
// Manual fakes, or to hurry one).
func (s *Server) FinishDeployment(appUUID string) error {
	return s.endRunning(appUUID, func(d *deployment) { s.finish(d) })
}

// FailDeployment ends an application's running deployment as failed, with
// message as its last log line.
func (s *Server) FailDeployment(appUUID, message string) error {
	return s.endRunning(appUUID, func(d *deployment) { s.end(d, statusFailed, message) })
}

func (s *Server) endRunning(appUUID string, fn func(*deployment)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[appUUID]
	if a == nil {
		return fmt.Errorf("coolifytest: no application %s", appUUID)
	}
	d := a.active(s)
	if d == nil {
		return fmt.Errorf("coolifytest: application %s has no deployment queued or running", appUUID)
	}
	if d.status != statusInProgress {
		return errors.New("coolifytest: the deployment is still queued behind the server's build limit")
	}
	fn(d)
	return nil
}

// FailDeployments makes the next n deployments to complete fail, with
// message as their last log line.
func (s *Server) FailDeployments(n int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext, s.failMessage = n, message
}

// DeleteBehindBack deletes an application at once, as someone using
// Coolify's UI would.
func (s *Server) DeleteBehindBack(uuid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.apps[uuid]; a != nil {
		s.remove(a)
	}
}

// AddApp creates an application directly, as a team's other projects
// would: it is not a slot unless its name says so.
func (s *Server) AddApp(name, status string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	now := time.Now()
	a := &app{id: s.nextID, uuid: s.newUUID("a"), name: name, status: status, imageName: "nginx", imageTag: "latest",
		server: s.opts.ServerUUID, createdAt: now, updatedAt: now}
	s.apps[a.uuid] = a
	return a.uuid
}
