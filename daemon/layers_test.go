package daemon_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/meeboter/meeboter/"

// services are the packages that hold the daemon's logic: they speak the
// domain, so none may import a transport, and only those that make
// outgoing calls may import net/http.
var services = map[string]bool{
	"daemon/account": false, "daemon/agent": false, "daemon/batch": false, "daemon/chat": false,
	"daemon/domain": false, "daemon/feed": false, "daemon/lifecycle": false, "daemon/wire": false,
	"daemon/worker": false, "daemon/session": false, "daemon/webhook": true, // webhook: true, it sends them
}

// TestLayers keeps the arrows of the package graph pointing down, as `go
// list` finds them: nothing below the daemon imports it, subpackages never
// import the wiring package above them, and services never import a
// transport.
func TestLayers(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		for _, imp := range fields[1:] {
			if why := forbidden(pkg, strings.TrimPrefix(imp, module)); why != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
		}
	}
}

func forbidden(pkg, imp string) string {
	inDaemon := func(p string) bool { return p == "daemon" || strings.HasPrefix(p, "daemon/") }
	switch {
	case !inDaemon(pkg) && pkg != "cli" && pkg != "cmd/meeboter" && inDaemon(imp):
		return "only the CLI reaches the daemon"
	case strings.HasPrefix(pkg, "daemon/") && pkg != "daemon/daemontest" && imp == "daemon":
		return "a subpackage of the daemon imports the wiring above it" // daemontest starts daemons for tests
	}
	if strings.HasPrefix(imp, "github.com/prometheus/") && pkg != "daemon/metrics" {
		return "only daemon/metrics imports the Prometheus client; others report through interfaces of their own"
	}
	outgoing, isService := services[pkg]
	switch {
	case !isService:
		return ""
	case imp == "daemon/httpapi" || imp == "daemon/trpcapi" || imp == "daemon/web" || strings.HasPrefix(imp, "daemon/httpapi/"):
		return "a service imports a transport"
	case imp == "daemon/metrics":
		return "a service imports the metrics; it reports through an observer interface of its own"
	case imp == "net/http" && !outgoing:
		return "a service that makes no outgoing calls imports net/http"
	}
	return ""
}
