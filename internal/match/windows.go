package match

import (
	"sync"

	"tutorbase/internal/schedule"
)

// WindowCache keeps tutors' weekly availability, parsed, between changes.
// Discovery reads it for hundreds of tutors per request and a school
// changes it a few times a week, so the caller clears the cache on every
// write that could change it. It is safe for concurrent use.
//
// A load that raced with a write must not be kept: Lookup returns a
// generation and Store keeps nothing if Clear ran since.
type WindowCache struct {
	mu      sync.RWMutex
	gen     uint64
	windows map[string][]schedule.Window
}

// NewWindowCache returns an empty cache.
func NewWindowCache() *WindowCache {
	return &WindowCache{windows: map[string][]schedule.Window{}}
}

// Lookup returns the cached windows of ids, the ids that are not cached,
// and the generation to hand to Store with their windows. The slices
// returned are shared: callers must not modify them.
func (c *WindowCache) Lookup(ids []string) (hits map[string][]schedule.Window, missing []string, gen uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	hits = make(map[string][]schedule.Window, len(ids))
	for _, id := range ids {
		if w, ok := c.windows[id]; ok {
			hits[id] = w
		} else {
			missing = append(missing, id)
		}
	}
	return hits, missing, c.gen
}

// Store caches the windows of ids as loaded since Lookup returned gen (an
// id with no entry in windows has none), unless Clear ran since.
func (c *WindowCache) Store(gen uint64, ids []string, windows map[string][]schedule.Window) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	for _, id := range ids {
		c.windows[id] = windows[id]
	}
}

// Clear forgets every tutor's windows.
func (c *WindowCache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.windows = map[string][]schedule.Window{}
}
