package reports

import (
	"net/http"
	"regexp"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// MaxPathsPerDay is how many distinct paths a day counts; the visits of
// further paths that day count under "other", so made-up paths cannot
// grow the table without bound.
const MaxPathsPerDay = 200

// visitPath is a route pattern of the web app: "/", "/tutors/:id".
var visitPath = regexp.MustCompile(`^/[a-z0-9/:_-]{0,80}$`)

// CountVisit adds one page view of a web app page by someone not signed
// in: POST /api/visits {"path": "/tutors/:id"} (the route's pattern, never
// its ids). It sets no cookie and keeps nothing about the visitor: one
// count per day and path. Signed-in callers and browsers that ask not to be
// tracked (DNT: 1 or Sec-GPC: 1) get the same 204 and are not counted.
func (s *Service) CountVisit(e *core.RequestEvent) error {
	var body struct {
		Path string `json:"path"`
	}
	if err := e.BindBody(&body); err != nil || !visitPath.MatchString(body.Path) {
		return apis.NewBadRequestError("Invalid visit.", validation.Errors{
			"path": validation.NewError("bad_path", "Send the page's route, like /tutors/:id."),
		})
	}
	h := e.Request.Header
	if e.Auth != nil || h.Get("DNT") == "1" || h.Get("Sec-GPC") == "1" {
		return e.NoContent(http.StatusNoContent)
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	day := s.env.Now().In(school.Location).Format(time.DateOnly)
	// one statement, so concurrent visits each add one (SQLite serialises
	// writes); a new path beyond the day's cap counts as "other"
	_, err = e.App.DB().NewQuery(`INSERT INTO page_visits (day, path, count)
		SELECT {:day}, CASE WHEN EXISTS (SELECT 1 FROM page_visits WHERE day = {:day} AND path = {:path})
			OR (SELECT COUNT(*) FROM page_visits WHERE day = {:day}) < {:cap} THEN {:path} ELSE 'other' END, 1
		WHERE TRUE ON CONFLICT (day, path) DO UPDATE SET count = count + 1`).
		Bind(dbx.Params{"day": day, "path": body.Path, "cap": MaxPathsPerDay}).Execute()
	if err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}
