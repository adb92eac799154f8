package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMemberSeesOwnOnly: a member's console shows their bots and keys,
// and another member's bot, the admin pages and their forms do not exist
// for them (404, as in the REST API).
func TestMemberSeesOwnOnly(t *testing.T) {
	t.Parallel()
	d := start(t)
	alice, aliceKey := memberKey(t, d, "alice@example.test")
	bob, _ := memberKey(t, d, "bob@example.test")
	mine := newBot(t, alice, map[string]string{"who": "alice"})
	theirs := newBot(t, bob, map[string]string{"who": "bob"})

	b := newBrowser(t, d.URL)
	b.signIn(aliceKey)
	list := b.get("/bots")
	mustContain(t, list, fmt.Sprintf(`data-bot-id="%d"`, mine.ID))
	if strings.Contains(list.body, fmt.Sprintf(`data-bot-id="%d"`, theirs.ID)) {
		t.Fatal("alice's list shows bob's bot")
	}
	wantStatus(t, "own bot", b.get(fmt.Sprintf("/bots/%d", mine.ID)), http.StatusOK)
	tok := b.csrf()
	for _, path := range []string{fmt.Sprintf("/bots/%d", theirs.ID), fmt.Sprintf("/bots/%d/live", theirs.ID), fmt.Sprintf("/bots/%d/screenshots/1", theirs.ID), "/pool", "/users", "/bots/abc"} {
		wantStatus(t, "GET "+path, b.get(path), http.StatusNotFound)
	}
	for _, path := range []string{fmt.Sprintf("/bots/%d/leave", theirs.ID), fmt.Sprintf("/bots/%d/cancel", theirs.ID), fmt.Sprintf("/bots/%d/chat", theirs.ID), "/users", "/users/1/reset-keys"} {
		wantStatus(t, "POST "+path, b.post(path, url.Values{"csrf": {tok}, "text": {"hi"}, "email": {"x@example.test"}}), http.StatusNotFound)
	}
	// A bulk action names bob's bot: it fails for that bot, as not found.
	p := b.post("/bots/bulk", url.Values{"csrf": {tok}, "action": {"cancel"}, "id": {fmt.Sprint(theirs.ID)}})
	wantStatus(t, "bulk", p, http.StatusSeeOther)
	got, err := bob.Bots().Get(t.Context(), theirs.ID)
	if err != nil || got.Status.Terminal() {
		t.Fatalf("bob's bot after alice's bulk cancel: %v %v", got.Status, err)
	}
	mustContain(t, b.get("/bots"), "could not", "bot not found")
}

func TestAdminPages(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	mustContain(t, b.get("/pool"), "Capacity", "local", "Queue", "Slots")
	mustContain(t, b.get("/users"), "Everyone", "you")
	mustContain(t, b.get("/bots"), `href="/pool"`, `href="/users"`)

	member := newBrowser(t, d.URL)
	_, key := memberKey(t, d, "m@example.test")
	member.signIn(key)
	p := member.get("/bots")
	if strings.Contains(p.body, `href="/pool"`) || strings.Contains(p.body, `href="/users"`) {
		t.Fatal("a member's menu links the admin pages")
	}
}

func TestAdminCreatesUser(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	tok := b.csrf()
	bad := b.post("/users", url.Values{"csrf": {tok}, "email": {"not-an-email"}, "role": {"member"}})
	wantStatus(t, "bad email", bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "must be an email address")
	p := b.post("/users", url.Values{"csrf": {tok}, "email": {"new@example.test"}, "role": {"member"}})
	wantStatus(t, "create", p, http.StatusOK)
	mustContain(t, p, "new@example.test created", "mbk_", `data-copy="secret-value"`)
	key := secretOf(t, p)
	nb := newBrowser(t, d.URL)
	nb.signIn(key)
}

// TestAdminResetsOwnKeys: resetting one's own keys ends this session too;
// the new key is shown once, on a signed-out page, and signs in.
func TestAdminResetsOwnKeys(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	p := b.post("/users/1/reset-keys", url.Values{"csrf": {b.csrf()}})
	wantStatus(t, "reset", p, http.StatusOK)
	if strings.Contains(p.body, `action="/signout"`) {
		t.Fatal("the page after the reset shows a signed-in menu")
	}
	key := secretOf(t, p)
	if r := b.get("/bots"); r.status != http.StatusSeeOther {
		t.Fatalf("the old session still works: %d", r.status)
	}
	b.signIn(key)
}
