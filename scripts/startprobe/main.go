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
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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
	times := map[string][]float64{}
	rs := map[string][]string{}
	base, err := os.MkdirTemp("", "startprobe")
	if err != nil {
		fmt.Fprintln(os.Stderr, "startprobe:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(base)
	for i := 0; i < *n; i++ {
		for bi, bin := range bins {
			dir := filepath.Join(base, fmt.Sprint(bi))
			if *fresh {
				dir = filepath.Join(base, fmt.Sprint(bi, "-", i))
			}
			port := 31000 + bi
			cmd := exec.Command(bin, "serve")
			cmd.Env = append(os.Environ(), "MEEBOTER_DATA_DIR="+dir+"/data", "XDG_CONFIG_HOME="+dir+"/cfg",
				fmt.Sprintf("MEEBOTER_LISTEN=127.0.0.1:%d", port), "MEEBOTER_LOG_LEVEL=warn")
			start := time.Now()
			if err := cmd.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "startprobe:", err)
				os.Exit(1)
			}
			url := fmt.Sprintf("http://127.0.0.1:%d/healthz", port)
			c := &http.Client{Timeout: 100 * time.Millisecond}
			var el time.Duration
			for {
				resp, err := c.Get(url)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode/100 == 2 {
						el = time.Since(start)
						break
					}
				}
				time.Sleep(500 * time.Microsecond)
				if time.Since(start) > 20*time.Second {
					fmt.Fprintln(os.Stderr, "startprobe:", bin, "did not answer 2xx within 20 s")
					os.Exit(1)
				}
			}
			time.Sleep(*settle)
			r, f, a := rss(cmd.Process.Pid)
			times[bin] = append(times[bin], float64(el.Microseconds())/1000)
			rs[bin] = append(rs[bin], r+"/"+f+"/"+a)
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	}
	for _, bin := range bins {
		t := times[bin]
		s := append([]float64(nil), t...)
		sort.Float64s(s)
		fmt.Printf("%s: first 2xx ms min/med/max %.1f/%.1f/%.1f  all %v\n  rss/file/anon kB %v\n", bin, s[0], s[len(s)/2], s[len(s)-1], t, rs[bin])
	}
}
