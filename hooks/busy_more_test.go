package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/busy"

	"github.com/stretchr/testify/require"
)

// TestFeedOfAnUnknownTutorIsRefused: a calendar saved for a tutor who
// does not exist (staff bypass the create rule that would stop anyone
// else) is refused on the tutor field, and nothing is written.
func TestFeedOfAnUnknownTutorIsRefused(t *testing.T) {
	t.Parallel()
	app, srv, _ := feedApp(t)
	before := countOf(t, app, busy.Feeds)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/calendar_feeds/records", cast.Tokens[hookstest.Superuser],
		map[string]any{"tutor": "nosuchtutor0000", "name": "Personal", "url": "https://calendar.example.org/basic.ics"})
	refused(t, res, 400, "tutor", "validation_missing_rel_records")
	require.Equal(t, before, countOf(t, app, busy.Feeds))
}

// TestRefreshOfAFeedThatIsGone: the job's refresh of a feed deleted since
// it was listed is ErrNoFeed (which the job skips), and the tutor's
// refresh of a feed they deleted is a 404.
func TestRefreshOfAFeedThatIsGone(t *testing.T) {
	t.Parallel()
	app, srv, svc := feedApp(t)
	cal := newCalServer(t)
	id := addFeed(t, srv, cal.feedURL())
	require.Equal(t, 204, hookstest.Call(t, srv, http.MethodDelete, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[hookstest.Tutor2], nil).Status)
	require.ErrorIs(t, svc.Refresh(app, id, cast.Now()), busy.ErrNoFeed)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil).Status)
}
