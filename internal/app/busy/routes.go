package busy

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// RefreshNow is POST /api/calendar/feeds/{id}/refresh: the feed's tutor
// (or staff) has it fetched at once, whatever its back-off, and gets the
// feed back with the outcome (status, last_error, events, synced_at).
// Anyone else gets a 404, as for a feed that does not exist.
func (s *Service) RefreshNow(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	feed, err := e.App.FindRecordById(Feeds, id)
	if err != nil || (!platform.IsStaff(e) && (e.Auth == nil || feed.GetString("tutor_user") != e.Auth.Id)) {
		return e.NotFoundError("", nil)
	}
	if err := s.Refresh(e.App, id, s.env.Now()); err != nil && !errors.Is(err, ErrNoFeed) {
		return err
	}
	if feed, err = e.App.FindRecordById(Feeds, id); err != nil {
		return e.NotFoundError("", nil) // removed meanwhile (ErrNoFeed)
	}
	return e.JSON(http.StatusOK, feed)
}

// RefreshDue is the job: it fetches the feeds whose next attempt has come
// (new ones, those due every RefreshEvery, failing ones after their
// back-off), at most jobBatch a run, jobWorkers at a time.
func (s *Service) RefreshDue(app core.App, now time.Time) error {
	var ids []string
	err := app.DB().Select("id").From(Feeds).Where(dbx.NewExp("next_attempt <= {:now}", dbx.Params{"now": dbTime(now)})).
		OrderBy("next_attempt").Limit(jobBatch).Column(&ids)
	if err != nil {
		return err
	}
	work := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range min(jobWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := s.Refresh(app, id, now); err != nil && !errors.Is(err, ErrNoFeed) {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}
