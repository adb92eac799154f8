package web

import "github.com/meeboter/meeboter/store"

// usersPage is the admins' Users page: a user or key just made (its
// secret shown this once), the form to add a user, then everyone.
func (d *doc) usersPage(fr *frame) {
	u := fr.Data.(*usersData)
	d.Raw(`
<h1>Users</h1>
`)
	if u.Created != nil {
		d.secret(*u.Created)
	}
	d.userForm(fr, u)
	d.Raw(`

<section aria-labelledby="users-h" class="card">
  <h2 id="users-h">Everyone</h2>
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col" class="opt">Daily limit</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>`)
	for _, user := range u.Users {
		d.userRow(fr, user, user.ID == u.Me)
	}
	d.Raw(`</tbody>
  </table>
  </div>
</section>
`)
}

// userForm adds a user, shown again filled in beside its errors; an
// error about no field goes at the top.
func (d *doc) userForm(fr *frame, u *usersData) {
	d.Raw(`

<section aria-labelledby="new-user-h" class="card">
  <h2 id="new-user-h">Add a user</h2>
  <form method="post" action="/users" class="form inline-fields" novalidate>
    `)
	d.csrf(fr)
	if msg := u.Errors[""]; msg != "" {
		d.F(`<p class="flash flash-error" role="alert"><strong>Error:</strong> %s</p>`, msg)
	}
	d.F(`
    <div class="field">
      <label for="u-email">Email <span class="req">required</span></label>
      <input id="u-email" name="email" type="email" value="%s" required%s>
      `, u.Form.Email, invalid(u.Errors["email"]))
	d.fieldError(u.Errors["email"])
	d.F(`
    </div>
    <div class="field">
      <label for="u-name">Name</label>
      <input id="u-name" name="name" value="%s">
      `, u.Form.Name)
	d.fieldError(u.Errors["name"])
	d.F(`
    </div>
    <div class="field">
      <label for="u-role">Role</label>
      <select id="u-role" name="role">
        <option value="member"%s>member</option>
        <option value="admin"%s>admin</option>
      </select>
      `, sel(u.Form.Role == "member"), sel(u.Form.Role == "admin"))
	d.fieldError(u.Errors["role"])
	d.F(`
    </div>
    <div class="field">
      <label for="u-limit">Daily bot limit</label>
      <input id="u-limit" name="customDailyBotLimit" inputmode="numeric" value="%s" placeholder="the plan's">
      `, u.Form.Limit)
	d.fieldError(u.Errors["customDailyBotLimit"])
	d.Raw(`
    </div>
    <div class="actions"><button type="submit" class="primary">Add user</button></div>
  </form>
</section>`)
}

// userRow is one user, with a button that resets their keys; me marks
// the admin looking.
func (d *doc) userRow(fr *frame, user store.User, me bool) {
	d.F(`
      <tr><td>%s`, user.Email)
	if user.Name != user.Email {
		d.F(` <span class="muted">%s</span>`, user.Name)
	}
	if me {
		d.Raw(` <span class="tag">you</span>`)
	}
	d.F(`</td>
        <td>%s</td><td class="opt">`, user.Role)
	if user.CustomDailyBotLimit != nil {
		d.F("%d", *user.CustomDailyBotLimit)
	} else {
		d.Raw("plan's")
	}
	d.Raw(`</td><td>`)
	d.time(user.CreatedAt)
	d.F(`</td>
        <td><form method="post" action="/users/%d/reset-keys" data-confirm="Revoke every key of %s and issue one new key? Their scripts and browsers stop working until they use the new one.">
          `, user.ID, user.Email)
	d.csrf(fr)
	d.Raw(`<button type="submit" class="danger small">Reset keys</button></form></td></tr>
    `)
}
