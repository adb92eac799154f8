package storetest

import (
	"testing"

	"github.com/meeboter/meeboter/store"
)

// Run runs every behaviour test of the contract against stores from open,
// each test on its own fresh store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	groups := map[string][]namedTest{
		"Users": usersTests, "Keys": keysTests, "Bots": botsTests, "Transition": transitionTests,
		"Admission": admissionTests, "Deploy": deployTests, "Agent": agentTests, "Chat": chatTests,
		"Pool": poolTests, "PoolStates": poolStateTests, "Locks": locksTests, "Usage": usageTests, "Maintenance": maintenanceTests, "Tx": txTests,
		"Concurrency": concurrencyTests, "Webhooks": webhooksTests, "Console": consoleTests, "LogTail": logTailTests, "LogArchive": logArchiveTests,
		"Endpoints": endpointsTests, "Changes": changesTests, "BotWatch": botWatchTests, "Stats": statsTests,
		"Reservations": reservationTests, "Plans": plansTests, "Reads": readsTests, "CreateAndAdmit": createAdmitTests,
	}
	for group, tests := range groups {
		t.Run(group, func(t *testing.T) {
			t.Parallel()
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.fn(t, open(t))
				})
			}
		})
	}
}

// RunConfig runs the tests that need more than one store on a database, or
// a database before it is opened: migrations, schema version checks, and
// admission races between several daemons. newConfig returns a config of a
// fresh, empty database.
func RunConfig(t *testing.T, newConfig func(tb testing.TB) store.Config) {
	for _, tc := range configTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newConfig(t))
		})
	}
}

type namedTest struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

type configTest struct {
	name string
	fn   func(t *testing.T, cfg store.Config)
}
