package cli

import (
	"context"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// pageFlags are --limit, --cursor and --all for listings.
type pageFlags struct {
	Limit  int
	Cursor string
	All    bool
}

func (p *pageFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().IntVarP(&p.Limit, "limit", "L", 0, "at most this many "+what+" per page (default: the daemon's)")
	cmd.Flags().StringVar(&p.Cursor, "cursor", "", "continue a listing from the cursor a previous page gave")
	cmd.Flags().BoolVar(&p.All, "all", false, "follow cursors and fetch every page")
}

func (p *pageFlags) validate() error {
	if p.Limit < 0 {
		return flagErrorf("--limit must be positive")
	}
	return nil
}

// fetchPages reads one page, or every page with pf.All. The result is one
// api.List; its NextCursor is set only when more pages were left.
func fetchPages[T any](ctx context.Context, pf pageFlags, fetch func(ctx context.Context, cursor string, limit int) (*api.List[T], error)) (*api.List[T], error) {
	out := &api.List[T]{Items: []T{}}
	cursor := pf.Cursor
	for {
		page, err := fetch(ctx, cursor, pf.Limit)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, page.Items...)
		out.NextCursor = page.NextCursor
		if !pf.All || page.NextCursor == "" {
			return out, nil
		}
		cursor = page.NextCursor
	}
}

// hintMore says how to get the rest of a listing, on stderr only.
func hintMore(d *deps, next string) {
	if next != "" && !d.Output.isJSON() {
		d.hint("more results: add --all, or --cursor %s", next)
	}
}
