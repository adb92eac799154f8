package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/platforms/null"
)

type benchHeartbeatOptions struct {
	deps
	Getenv      func(string) string
	Bots        int
	Duration    time.Duration
	Concurrency int
	Protocol    string
	Tokens      string
	Keep        bool
}

func newCmdBenchHeartbeat(f *Factory, runF func(*benchHeartbeatOptions) error) *cobra.Command {
	opts := &benchHeartbeatOptions{deps: newDeps(f), Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "heartbeat",
		Short: "Drive bots' heartbeats with their own tokens and print throughput and latency",
		Long: `Create bots on a daemon whose platform starts nothing (PLATFORM_PRIORITY=null),
read their tokens from the file that platform writes in the daemon's data
directory, and send their heartbeats for --duration from --concurrency
connections, each request with the next bot's token (the answers cannot
come from one cached bot). Prints beats per second and the p50, p90 and
p99 latencies. The bots are then asked to leave and report DONE unless
--keep. Run it on the daemon's machine, and raise the daemon's API rate
limit (MEEBOTER_RATE_LIMIT) to create thousands of bots quickly.`,
		Example: `  $ meeboter bench heartbeat --bots 2000 --duration 20s
  $ meeboter bench heartbeat --bots 2000 --duration 20s --protocol trpc --concurrency 50`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.check(); err != nil {
				return err
			}
			return run(runF, benchHeartbeatRun, opts)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Bots, "bots", 100, "bots to create and drive")
	fl.DurationVar(&opts.Duration, "duration", 10*time.Second, "how long to send heartbeats")
	fl.IntVar(&opts.Concurrency, "concurrency", 50, "connections sending at once")
	fl.StringVar(&opts.Protocol, "protocol", "native", "native (/v1/agent/heartbeat) or trpc (bots.sendHeartbeat)")
	fl.StringVar(&opts.Tokens, "tokens", "", "the null platform's tokens file (default <MEEBOTER_DATA_DIR>/null/tokens.jsonl)")
	fl.BoolVar(&opts.Keep, "keep", false, "leave the bots running afterwards")
	return cmd
}

func (o *benchHeartbeatOptions) check() error {
	switch {
	case o.Bots < 1:
		return flagErrorf("--bots: want at least 1, got %d", o.Bots)
	case o.Duration <= 0:
		return flagErrorf("--duration: want a positive duration such as 10s, got %v", o.Duration)
	case o.Concurrency < 1:
		return flagErrorf("--concurrency: want at least 1, got %d", o.Concurrency)
	case o.Protocol != "native" && o.Protocol != "trpc":
		return flagErrorf("--protocol: want native or trpc, got %q", o.Protocol)
	}
	if o.Tokens == "" {
		o.Tokens = filepath.Join(daemon.DataDir(o.Getenv("MEEBOTER_DATA_DIR")), null.Name, null.TokensFile)
	}
	return nil
}

func benchHeartbeatRun(opts *benchHeartbeatOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	opts.hint("creating %d bots", opts.Bots)
	ids, err := benchCreate(opts.Ctx, c, opts.Bots)
	if err != nil {
		return err
	}
	tokens, err := benchTokens(opts.Ctx, opts.Tokens, ids)
	if err != nil {
		return err
	}
	if missing := len(ids) - len(tokens); missing > 0 {
		opts.hint("%d of %d bots were not deployed in time; driving the %d that were", missing, len(ids), len(tokens))
		ids = slices.DeleteFunc(ids, func(id int64) bool { return tokens[id] == "" })
	}
	opts.hint("sending heartbeats for %s from %d connections", opts.Duration, opts.Concurrency)
	bots := make([]benchBot, len(ids))
	for i, id := range ids {
		bots[i] = benchBot{id: id, token: tokens[id]}
	}
	res := benchDrive(opts.Ctx, newBeater(c.Address(), opts.Protocol, opts.Concurrency), bots, opts.Concurrency, opts.Duration)
	fmt.Fprintf(opts.IO.Out, "heartbeat %s: %d bots, %d connections, %s: %.0f beats/s; p50 %.2f ms, p90 %.2f ms, p99 %.2f ms; %d errors\n",
		opts.Protocol, len(bots), opts.Concurrency, opts.Duration, res.rate(), res.ms(0.50), res.ms(0.90), res.ms(0.99), res.errors)
	if res.firstErr != nil {
		opts.hint("first error: %v", res.firstErr)
	}
	if !opts.Keep {
		benchEnd(opts, c, bots)
	}
	return nil
}

// benchCreate creates n bots, 16 at a time, waiting out rate limits.
func benchCreate(ctx context.Context, c *api.Client, n int) ([]int64, error) {
	ids := make([]int64, n)
	var first error
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			id, err := benchCreateOne(ctx, c)
			mu.Lock()
			defer mu.Unlock()
			ids[i] = id
			if err != nil && first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return ids, first
}

func benchCreateOne(ctx context.Context, c *api.Client) (int64, error) {
	for {
		b, err := c.Bots().Create(ctx, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij"}, DisplayName: "bench"})
		if errors.Is(err, api.ErrRateLimited) {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(200 * time.Millisecond):
				continue
			}
		}
		if err != nil {
			return 0, fmt.Errorf("create a bot: %w", err)
		}
		return b.ID, nil
	}
}

// benchTokens waits until the tokens file holds a token of every bot.
func benchTokens(ctx context.Context, path string, ids []int64) (map[int64]string, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		tokens, err := null.ReadTokens(path)
		missing := 0
		for _, id := range ids {
			if tokens[id] == "" {
				missing++
			}
		}
		if err == nil && missing == 0 {
			return tokens, nil
		}
		if time.Now().After(deadline) {
			if missing == len(ids) || err != nil {
				return nil, fmt.Errorf("%d of %d bots have no token in %s (is the daemon's platform null?): %v", missing, len(ids), path, err)
			}
			return onlyOf(tokens, ids), nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// onlyOf keeps the tokens of ids.
func onlyOf(tokens map[int64]string, ids []int64) map[int64]string {
	out := map[int64]string{}
	for _, id := range ids {
		if t := tokens[id]; t != "" {
			out[id] = t
		}
	}
	return out
}

type benchBot struct {
	id    int64
	token string
}

// beater sends one heartbeat of a bot.
type beater struct {
	client   *http.Client
	base     string
	protocol string
}

func newBeater(base, protocol string, conns int) *beater {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}
	return &beater{client: &http.Client{Transport: tr, Timeout: 10 * time.Second}, base: strings.TrimRight(base, "/"), protocol: protocol}
}

func (b *beater) beat(ctx context.Context, bot benchBot) error {
	var req *http.Request
	if b.protocol == "trpc" {
		body := `{"0":{"json":{"id":"` + strconv.FormatInt(bot.id, 10) + `"}}}`
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/api/trpc/bots.sendHeartbeat?batch=1", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Milo-Token", bot.token)
	} else {
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/v1/agent/heartbeat", nil)
		req.Header.Set("Authorization", "Bearer "+bot.token)
	}
	return b.send(req)
}

func (b *beater) send(req *http.Request) error {
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = drain(resp)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", req.URL.Path, resp.Status)
	}
	return nil
}

// benchEnd asks the bots to leave, then reports DONE as each of them, so
// their capacity is free again.
func benchEnd(opts *benchHeartbeatOptions, c *api.Client, bots []benchBot) {
	ids := make([]int64, len(bots))
	for i, b := range bots {
		ids[i] = b.id
	}
	for start := 0; start < len(ids); start += 1000 {
		if _, err := c.Bots().BulkLeave(opts.Ctx, ids[start:min(start+1000, len(ids))]); err != nil {
			opts.hint("ask the bots to leave: %v", err)
			return
		}
	}
	b := newBeater(c.Address(), "native", 16)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(bots)); i = next.Add(1) - 1 {
				req, _ := http.NewRequestWithContext(opts.Ctx, http.MethodPost, b.base+"/v1/agent/status", strings.NewReader(`{"status":"DONE"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+bots[i].token)
				_ = b.send(req)
			}
		})
	}
	wg.Wait()
}
