package coolifytest

import (
	"time"
)

// queue plays queue_application_deployment: a deployment already queued
// or running for the application makes this one "skipped"; otherwise a
// queued row is added and the server's queue advanced. now=true starts it
// at once, past the build limit (no_questions_asked, as instant_deploy
// does). The caller holds s.mu.
func (s *Server) queue(a *app, now bool) (d *deployment, skipped, full bool) {
	if existing := a.active(s); existing != nil {
		return existing, true, false
	}
	queued := 0
	for _, d := range s.order {
		if d.server == a.server && d.status == statusQueued {
			queued++
		}
	}
	if queued >= s.opts.QueueLimit {
		return nil, false, true
	}
	s.nextID++
	t := time.Now()
	d = &deployment{id: s.nextID, uuid: s.newUUID("d"), app: a, appID: a.id, appName: a.name, server: a.server,
		status: statusQueued, createdAt: t, updatedAt: t}
	s.deployments[d.uuid] = d
	s.order = append(s.order, d)
	if now {
		s.run(d)
	} else {
		s.schedule(a.server)
	}
	return d, false, false
}

// schedule starts queued deployments of a server, oldest first, while it
// runs fewer than ConcurrentBuilds and the application has none running
// (next_queuable).
func (s *Server) schedule(serverUUID string) {
	for _, d := range s.order {
		if s.running(serverUUID) >= s.opts.ConcurrentBuilds {
			return
		}
		if d.server == serverUUID && d.status == statusQueued && !s.appBusy(d.app) {
			s.run(d)
		}
	}
}

func (s *Server) running(serverUUID string) int {
	n := 0
	for _, d := range s.order {
		if d.server == serverUUID && d.status == statusInProgress {
			n++
		}
	}
	return n
}

func (s *Server) appBusy(a *app) bool {
	for _, d := range s.order {
		if d.app == a && d.status == statusInProgress {
			return true
		}
	}
	return false
}

// run moves a deployment to in_progress. If the server has not got the
// image yet this deployment pulls it (every deployment that starts before
// a pull completed pulls too, as concurrent docker pulls on one daemon
// each count); then the container starts.
func (s *Server) run(d *deployment) {
	d.status, d.updatedAt = statusInProgress, time.Now()
	sv := s.servers[d.server]
	sv.maxRunning = max(sv.maxRunning, s.running(d.server))
	d.log("Starting deployment of "+d.app.image()+".", "stdout")
	image := d.app.image()
	wait := s.opts.StartDuration
	pulls := !sv.images[image]
	if pulls {
		sv.pulls[image]++
		wait += s.opts.PullDuration
		d.log("Pulling image "+image+".", "stdout")
	}
	if s.opts.Manual {
		return // the test finishes or fails it; the image is there once one finishes
	}
	if pulls {
		s.after(s.opts.PullDuration, func() { sv.images[image] = true })
	}
	s.timed(d, wait, func() { s.finish(d) })
}

// timed runs fn for d after wait, cancellable through d.cancel.
func (s *Server) timed(d *deployment, wait time.Duration, fn func()) {
	stopped := false
	d.cancel = func() { stopped = true }
	s.after(wait, func() {
		if !stopped {
			fn()
		}
	})
}

// finish ends a deployment well: the application's container runs. A
// deployment failure injected with FailDeployments ends it failed instead.
func (s *Server) finish(d *deployment) {
	if d.status != statusInProgress {
		return
	}
	if s.failNext > 0 {
		s.failNext--
		s.end(d, statusFailed, s.failMessage)
		return
	}
	s.servers[d.server].images[d.app.image()] = true
	d.app.status, d.app.updatedAt = s.opts.RunningStatus, time.Now()
	s.end(d, statusFinished, "Container started.")
	s.containerStarted(d.app)
}

// end closes a deployment with a status and a last log line, then lets the
// next queued ones start.
func (s *Server) end(d *deployment, status, line string) {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
	stream := "stdout"
	if status != statusFinished {
		stream = "stderr"
	}
	d.log(line, stream)
	d.status, d.updatedAt = status, time.Now()
	s.schedule(d.server)
}

func (d *deployment) log(line, stream string) {
	d.logs = append(d.logs, logLine{Output: line, Type: stream, Timestamp: laravelTime(time.Now()),
		Batch: 1, Order: len(d.logs) + 1})
}

// containerStarted tells the test's Container, if any, that a's container
// runs; the caller holds s.mu.
func (s *Server) containerStarted(a *app) {
	c := s.opts.Container
	if c == nil {
		return
	}
	env := map[string]string{}
	for _, e := range a.envs {
		if !e.preview {
			env[e.key] = e.value
		}
	}
	go c.Start(a.uuid, env)
}

// containerStopped tells the test's Container that a's container is gone;
// the caller holds s.mu.
func (s *Server) containerStopped(a *app) {
	if c := s.opts.Container; c != nil {
		go c.Stop(a.uuid)
	}
}
