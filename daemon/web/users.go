package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/store"
)

// usersData fills the Users page.
type usersData struct {
	Users   []store.User
	Me      int64
	Created *secretView
	Form    userForm
	Errors  map[string]string
}

// userForm is the new-user form as filled in.
type userForm struct {
	Email, Name, Role, Limit string
}

const usersShown = 500

// usersPage lists every user (admins only).
func (c *Console) usersPage(v *visit) (result, error) {
	return c.usersView(v, &usersData{Form: userForm{Role: "member"}}, http.StatusOK)
}

func (c *Console) usersView(v *visit, d *usersData, status int) (result, error) {
	caller := v.caller()
	users, err := c.svc.Account.ListUsers(v.r.Context(), caller, store.Page{Limit: usersShown})
	if err != nil {
		return nil, err
	}
	d.Users, d.Me = users, caller.User.ID
	return view{page: "users", title: "Users", nav: "users", status: status, data: d}, nil
}

// createUser makes a user with a first key, shown once (admins only).
func (c *Console) createUser(v *visit) (result, error) {
	caller := v.caller()
	if err := caller.RequireAdmin(); err != nil {
		return nil, err
	}
	f := v.r.PostForm
	d := &usersData{Form: userForm{Email: strings.TrimSpace(f.Get("email")), Name: strings.TrimSpace(f.Get("name")), Role: f.Get("role"), Limit: strings.TrimSpace(f.Get("customDailyBotLimit"))}}
	nu := account.NewUser{Email: d.Form.Email, Name: d.Form.Name, Role: d.Form.Role}
	if d.Form.Limit != "" {
		n, err := strconv.Atoi(d.Form.Limit)
		if err != nil {
			d.Errors = map[string]string{"customDailyBotLimit": "must be a whole number of bots"}
			return c.usersView(v, d, http.StatusUnprocessableEntity)
		}
		nu.CustomDailyBotLimit = &n
	}
	cu, err := c.svc.Account.CreateUser(v.r.Context(), caller, nu)
	if err != nil {
		if d.Errors = fieldErrors(err); d.Errors == nil {
			d.Errors = map[string]string{"": describe(err)}
		}
		return c.usersView(v, d, problemFor(err).Status)
	}
	d.Created = &secretView{Label: "User " + cu.User.Email + " created, with a first API key.", Secret: cu.Key.Secret}
	d.Form = userForm{Role: "member"}
	return c.usersView(v, d, http.StatusOK)
}

// resetKeys revokes every key of a user, ending their sessions, and shows
// the one new key once (admins only).
func (c *Console) resetKeys(v *visit) (result, error) {
	caller := v.caller()
	if err := caller.RequireAdmin(); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(v.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.NotFound("user")
	}
	k, err := c.svc.Account.ResetKeys(v.r.Context(), caller, id)
	if err != nil {
		return nil, err
	}
	if id == caller.User.ID {
		// Our own keys went too, this session's among them: the page
		// that shows the new key is a signed-out one.
		c.clearSession(v.w, v.r)
		v.active = session.Active{}
		return view{page: "secret", title: "New key", data: secretView{Label: "Your keys were reset; this browser is signed out. Your new key:", Secret: k.Secret}}, nil
	}
	return c.usersView(v, &usersData{Form: userForm{Role: "member"},
		Created: &secretView{Label: "Every key of user " + strconv.FormatInt(id, 10) + " was revoked and one new key issued.", Secret: k.Secret}}, http.StatusOK)
}
