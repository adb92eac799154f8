package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func stubConsoleLink(b *testBundle) {
	b.daemon.handle("POST /v1/console/links", reply(http.StatusCreated, api.ConsoleLink{
		URL: "https://bots.example.com/signin/link?token=mbl_x", Path: "/signin/link?token=mbl_x", ExpiresAt: fixedNow.Add(2 * time.Minute),
	}))
}

func TestOpen_PrintURL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	stubConsoleLink(b)
	assertEqual(t, "exit", b.run(t, "open", "--print-url"), ExitOK)
	// The link is on the address the CLI reached, not the daemon's public URL.
	assertEqual(t, "stdout", b.stdout.String(), b.daemon.srv.URL+"/signin/link?token=mbl_x\n")
}

func TestOpen_Browser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	stubConsoleLink(b)
	dir := t.TempDir()
	got := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > "+got+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	b.env["BROWSER"] = script
	assertEqual(t, "exit", b.run(t, "open"), ExitOK)
	opened, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "opened", string(opened), b.daemon.srv.URL+"/signin/link?token=mbl_x")
	assertEqual(t, "stdout", b.stdout.String(), "")
}

func TestOpen_NoBrowserPrintsLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	stubConsoleLink(b)
	b.env["BROWSER"] = "false"
	assertEqual(t, "exit", b.run(t, "open"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), b.daemon.srv.URL+"/signin/link?token=mbl_x\n")
	if !strings.Contains(b.stderr.String(), "could not start a browser") {
		t.Errorf("stderr = %q", b.stderr.String())
	}
}

func TestOpen_Unauthorized(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("POST /v1/console/links", problemReply(http.StatusUnauthorized, api.CodeUnauthorized, "the API key is unknown, revoked or expired"))
	assertEqual(t, "exit", b.run(t, "open"), ExitAuth)
}
