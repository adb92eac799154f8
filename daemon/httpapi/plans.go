package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/wire"
)

// listPlans lists every plan (admins only).
func (a *API) listPlans(w http.ResponseWriter, r *http.Request) (any, error) {
	plans, err := a.svc.Account.ListPlans(r.Context(), callerFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	return api.List[api.PlanLimits]{Items: wire.Map(plans, wire.PlanLimits)}, nil
}

// createPlan stores a plan (admins only).
func (a *API) createPlan(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err // before reading the body: the route does not exist for members
	}
	var req api.CreatePlanRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	p, err := a.svc.Account.CreatePlan(r.Context(), c, account.NewPlan{Name: req.Name, DailyBots: req.DailyBots,
		ConcurrentBots: req.ConcurrentBots, MaxBotDurationSeconds: req.MaxBotDurationSeconds})
	if err != nil {
		return nil, err
	}
	return created{wire.PlanLimits(p)}, nil
}

// getUser reads one user with their plan and limits (admins only).
func (a *API) getUser(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	u, err := a.svc.Account.GetUser(r.Context(), c, id)
	if err != nil {
		return nil, err
	}
	return wire.User(u), nil
}

// updateUser changes a user's plan and limits (admins only).
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var req api.UpdateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	u, err := a.svc.Account.UpdateUser(r.Context(), c, id, account.UserPatch{Plan: req.Plan, CustomDailyBotLimit: req.CustomDailyBotLimit,
		MaxConcurrentBots: req.MaxConcurrentBots, DedupWindowSeconds: req.DedupWindowSeconds, Clear: req.Clear})
	if err != nil {
		return nil, err
	}
	return wire.User(u), nil
}
