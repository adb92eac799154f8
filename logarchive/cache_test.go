package logarchive

import "testing"

func TestChunkCache(t *testing.T) {
	t.Parallel()
	c := newChunkCache(10)
	c.put("a", make([]Entry, 4))
	c.put("b", make([]Entry, 4))
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put("c", make([]Entry, 4)) // 12 > 10: evicts b, the least recent
	if _, ok := c.get("b"); ok {
		t.Error("b kept past the bound")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	c.put("huge", make([]Entry, 11))
	if _, ok := c.get("huge"); ok || c.held != 8 {
		t.Errorf("a chunk over the bound was kept (held %d)", c.held)
	}
	none := newChunkCache(0)
	none.put("a", make([]Entry, 1))
	if _, ok := none.get("a"); ok {
		t.Error("a cache of size 0 kept a chunk")
	}
}
