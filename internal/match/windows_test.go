package match

import (
	"slices"
	"sync"
	"testing"
	"time"

	"tutorbase/internal/schedule"
)

func TestWindowCache(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	monday := []schedule.Window{{Weekday: 1, Start: clock(t, "09:00"), End: clock(t, "12:00"), Location: rome}}
	tests := []struct {
		name        string
		run         func(c *WindowCache)
		wantHits    []string
		wantMissing []string
	}{
		{"empty", func(c *WindowCache) {}, nil, []string{"a", "b"}},
		{"stored, with none for a tutor without windows", func(c *WindowCache) {
			_, missing, gen := c.Lookup([]string{"a", "b"})
			c.Store(gen, missing, map[string][]schedule.Window{"a": monday})
		}, []string{"a", "b"}, nil},
		{"cleared", func(c *WindowCache) {
			_, missing, gen := c.Lookup([]string{"a", "b"})
			c.Store(gen, missing, map[string][]schedule.Window{"a": monday})
			c.Clear()
		}, nil, []string{"a", "b"}},
		{"a load that raced with a write is not kept", func(c *WindowCache) {
			_, missing, gen := c.Lookup([]string{"a"})
			c.Clear() // a window changed while the load ran
			c.Store(gen, missing, map[string][]schedule.Window{"a": monday})
		}, nil, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewWindowCache()
			tt.run(c)
			hits, missing, _ := c.Lookup([]string{"a", "b"})
			var got []string
			for id := range hits {
				got = append(got, id)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantHits) || !slices.Equal(missing, tt.wantMissing) {
				t.Errorf("hits %v, missing %v; want %v, %v", got, missing, tt.wantHits, tt.wantMissing)
			}
			if w, ok := hits["a"]; ok && len(w) != 1 {
				t.Errorf("a has %d windows, want 1", len(w))
			}
		})
	}
}

func TestWindowCacheConcurrentUse(t *testing.T) {
	c := NewWindowCache()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 200 {
				if i == 0 {
					c.Clear()
					time.Sleep(time.Microsecond)
					continue
				}
				_, missing, gen := c.Lookup([]string{"a", "b", "c"})
				c.Store(gen, missing, nil)
			}
		})
	}
	wg.Wait()
}
