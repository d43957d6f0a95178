package platform

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Caches of what nearly every booking and slot query reads and few
// requests change: each lives in the app's store under its key, holds
// values by record id, and is emptied after any committed write to the
// collections it is built from (clearOn), whatever the path (API,
// dashboard, jobs).
const (
	tutorCacheKey   = "tutorbase.cache.tutors"   // *tutorInfo by tutors id
	peopleCacheKey  = "tutorbase.cache.people"   // person by users id
	subjectCacheKey = "tutorbase.cache.subjects" // name by subjects id
	timeOffCacheKey = "tutorbase.cache.timeoff"  // []schedule.Interval by tutors id
)

// genCache keeps values between writes. A load that raced with a write is
// not kept: get returns the generation it saw and put keeps nothing if
// clear ran since.
type genCache[V any] struct {
	mu   sync.RWMutex
	gen  uint64
	vals map[string]V
}

func (c *genCache[V]) get(id string) (V, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.vals[id]
	return v, c.gen, ok
}

func (c *genCache[V]) put(gen uint64, id string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.vals[id] = v
	}
}

func (c *genCache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.vals = map[string]V{}
}

// Cached returns id's value from the cache at key, loading and keeping it
// on a miss. Values are shared: callers copy before changing one.
func Cached[V any](app core.App, key, id string, load func() (V, error)) (V, error) {
	c := app.Store().GetOrSet(key, func() any { return &genCache[V]{vals: map[string]V{}} }).(*genCache[V])
	v, gen, ok := c.get(id)
	if ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		c.put(gen, id, v)
	}
	return v, err
}

// ClearOn empties the cache at key after every committed create, update
// or delete of a record of the collections.
func ClearOn(app core.App, key string, collections ...string) {
	clear := func(e *core.RecordEvent) error {
		if c, ok := e.App.Store().Get(key).(interface{ clear() }); ok {
			c.clear()
		}
		return e.Next()
	}
	for _, name := range collections {
		app.OnRecordAfterCreateSuccess(name).BindFunc(clear)
		app.OnRecordAfterUpdateSuccess(name).BindFunc(clear)
		app.OnRecordAfterDeleteSuccess(name).BindFunc(clear)
	}
}

func registerCaches(app core.App) {
	ClearOn(app, tutorCacheKey, "tutors", "school") // the school's zone is a tutor's default
	ClearOn(app, peopleCacheKey, "users")
	ClearOn(app, subjectCacheKey, "subjects")
	ClearOn(app, timeOffCacheKey, "time_off")
}
