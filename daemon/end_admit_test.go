package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// failingEndAndAdmit is a store whose ends cannot also admit the queue,
// as when a queued bot is one the store cannot admit.
type failingEndAndAdmit struct{ store.Store }

func (failingEndAndAdmit) EndAndAdmit(context.Context, store.TransitionParams, store.AdmitQueuedParams) (store.Bot, []store.Bot, error) {
	return store.Bot{}, nil, errors.New("the queue's head cannot be admitted")
}

// TestEndOutlivesAFailedAdmission: a bot's DONE ends it even when the
// admission of the queue that goes with the end fails, and the waiting
// bot is still deployed.
func TestEndOutlivesAFailedAdmission(t *testing.T) {
	t.Parallel()
	plat := daemontest.NewInstant(platforms.Local, 1)
	d := daemontest.Start(t, daemontest.Options{Store: failingEndAndAdmit{storetest.OpenSQLite(t)},
		Platforms: []platforms.Platform{plat}, Config: daemon.Config{WorkerInterval: time.Hour}})
	create := func() int64 {
		b, err := d.Admin.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		if err != nil {
			t.Fatal(err)
		}
		return b.ID
	}
	deployed := func(id int64) {
		for deadline := time.Now().Add(time.Minute); plat.DeployedAt(id).IsZero(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("bot %d not deployed", id)
			}
		}
	}
	running := create()
	deployed(running)
	waiting := create()
	body, _ := json.Marshal(api.AgentStatusRequest{Status: api.StatusDone})
	req, _ := http.NewRequest(http.MethodPost, d.URL+"/v1/agent/status", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+plat.Token(running))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("DONE answered %s", resp.Status)
	}
	deployed(waiting)
}
