package ecstest

import (
	"fmt"
	"slices"
	"time"
)

// faults holds what the server is told to get wrong.
type faults struct {
	throttle map[string]int     // operation -> calls left to throttle
	lose     map[string]int     // operation -> answers left to lose
	refuse   map[string]Failure // capacity provider ("" for any) -> RunTask failure
	describe map[string]string  // task ARN -> DescribeTasks failure reason
}

// take uses up one fault of m for op, reporting whether there was one.
func (faults) take(m map[string]int, op string) bool {
	if m[op] <= 0 {
		return false
	}
	m[op]--
	return true
}

func count(m *map[string]int, op string, n int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[op] += n
}

// Throttle answers the next n calls of op with ThrottlingException, ECS's
// "Rate exceeded", before they reach kumo.
func (s *Server) Throttle(op string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	count(&s.faults.throttle, op, n)
}

// LoseResponses lets the next n calls of op take effect in kumo and then
// answers them with a 500 ServerException, as when a response is lost on
// the way back: the client cannot tell whether the call happened.
func (s *Server) LoseResponses(op string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	count(&s.faults.lose, op, n)
}

// RefuseRunTask answers every RunTask asking provider ("" for any) with no
// task and f in failures[], until Allow. f.Arn defaults to the cluster.
func (s *Server) RefuseRunTask(provider string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.refuse == nil {
		s.faults.refuse = map[string]Failure{}
	}
	s.faults.refuse[provider] = f
}

// NoCapacity makes provider refuse tasks for want of capacity, as a
// Fargate shortage does.
func (s *Server) NoCapacity(provider string) {
	s.RefuseRunTask(provider, Failure{Reason: "RESOURCE:FARGATE"})
}

// Allow undoes RefuseRunTask and NoCapacity for provider.
func (s *Server) Allow(provider string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults.refuse, provider)
}

// FailDescribe makes DescribeTasks report arn in failures[] with reason
// (something other than MISSING) instead of describing it.
func (s *Server) FailDescribe(arn, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.describe == nil {
		s.faults.describe = map[string]string{}
	}
	s.faults.describe[arn] = reason
}

// Vanish makes ECS forget the task, as it does about an hour after a task
// stops: DescribeTasks answers MISSING, ListTasks leaves it out, StopTask
// says it was not found.
func (s *Server) Vanish(arn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[arn]
	if !ok {
		return fmt.Errorf("ecstest: no task %s", arn)
	}
	t.gone = true
	return nil
}

// SetState changes what DescribeTasks reports for the task, as its runtime
// would: SetState(arn, Running()) once it starts, OOMKilled() when it dies.
func (s *Server) SetState(arn string, st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[arn]
	if !ok || t.gone {
		return fmt.Errorf("ecstest: no task %s", arn)
	}
	t.state = t.state.merge(st)
	if t.state.DesiredStatus == "STOPPED" && t.stopping.IsZero() {
		t.stopping = time.Now()
	}
	return nil
}

// refusal returns the failure RunTask must answer for provider, if any.
// Callers hold s.mu.
func (s *Server) refusal(provider string) (Failure, bool) {
	if f, ok := s.faults.refuse[provider]; ok {
		return f, true
	}
	f, ok := s.faults.refuse[""]
	return f, ok
}

// taskARNs lists the known, not vanished tasks keep accepts, oldest
// first. Callers hold s.mu.
func (s *Server) taskARNs(keep func(*task) bool) []string {
	var arns []string
	for arn, t := range s.tasks {
		if !t.gone && keep(t) {
			arns = append(arns, arn)
		}
	}
	slices.SortFunc(arns, func(a, b string) int { return s.tasks[a].seq - s.tasks[b].seq })
	return arns
}
