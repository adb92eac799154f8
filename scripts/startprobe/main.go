// Command startprobe starts meeboter binaries in turn as `meeboter serve`
// on SQLite, each with its own data and config directories, and prints
// the time from the process start to the first 2xx of /healthz and the
// process's resident memory (VmRSS, RssFile, RssAnon) a moment later.
//
//	go run ./scripts/startprobe -n 8 [-fresh] [-settle 2s] BINARY...
//
// -fresh gives every start a new data directory, so it includes the
// migrations and the first admin user and key.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// rss reads a process's VmRSS, RssFile and RssAnon, in kB.
func rss(pid int) (string, string, string) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	var r, f, a string
	for _, l := range strings.Split(string(b), "\n") {
		fs := strings.Fields(l)
		if len(fs) < 2 {
			continue
		}
		switch fs[0] {
		case "VmRSS:":
			r = fs[1]
		case "RssFile:":
			f = fs[1]
		case "RssAnon:":
			a = fs[1]
		}
	}
	return r, f, a
}

func main() {
	n := flag.Int("n", 5, "starts of each binary")
	fresh := flag.Bool("fresh", false, "a new data directory for every start")
	settle := flag.Duration("settle", 2*time.Second, "how long after the first 2xx memory is read")
	flag.Parse()
	bins := flag.Args()
	if len(bins) == 0 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: startprobe [-n N] [-fresh] [-settle D] BINARY...")
		os.Exit(2)
	}
	base, err := os.MkdirTemp("", "startprobe")
	if err != nil {
		fmt.Fprintln(os.Stderr, "startprobe:", err)
		os.Exit(1)
	}
	err = probeAll(base, bins, *n, *fresh, *settle)
	os.RemoveAll(base)
	if err != nil {
		fmt.Fprintln(os.Stderr, "startprobe:", err)
		os.Exit(1)
	}
}

// probeAll starts each binary n times, in turn, and prints its figures.
func probeAll(base string, bins []string, n int, fresh bool, settle time.Duration) error {
	times := map[string][]float64{}
	mem := map[string][]string{}
	for i := range n {
		for bi, bin := range bins {
			dir := filepath.Join(base, fmt.Sprint(bi))
			if fresh {
				dir = filepath.Join(base, fmt.Sprint(bi, "-", i))
			}
			el, m, err := probe(bin, dir, settle)
			if err != nil {
				return err
			}
			times[bin] = append(times[bin], float64(el.Microseconds())/1000)
			mem[bin] = append(mem[bin], m)
		}
	}
	for _, bin := range bins {
		t := times[bin]
		s := slices.Sorted(slices.Values(t))
		fmt.Printf("%s: first 2xx ms min/med/max %.1f/%.1f/%.1f  all %v\n  rss/file/anon kB %v\n",
			bin, s[0], s[len(s)/2], s[len(s)-1], t, mem[bin])
	}
	return nil
}

// probe starts bin serve in dir on a free port, times its first 2xx and
// reads its memory settle later; the daemon is stopped either way.
func probe(bin, dir string, settle time.Duration) (time.Duration, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, "", err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "MEEBOTER_DATA_DIR="+dir+"/data", "XDG_CONFIG_HOME="+dir+"/cfg",
		"MEEBOTER_LISTEN="+addr, "MEEBOTER_LOG_LEVEL=warn")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	c := &http.Client{Timeout: 100 * time.Millisecond}
	for {
		resp, err := c.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				break
			}
		}
		if time.Since(start) > 20*time.Second {
			return 0, "", fmt.Errorf("%s did not answer 2xx within 20 s", bin)
		}
		time.Sleep(500 * time.Microsecond)
	}
	el := time.Since(start)
	time.Sleep(settle)
	r, f, a := rss(cmd.Process.Pid)
	return el, r + "/" + f + "/" + a, nil
}
