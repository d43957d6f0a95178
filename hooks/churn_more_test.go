package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestChurnFailures: a score the job cannot write is reported (the scores
// stay as they were); a coupon that cannot be saved is refused without
// the internal error and offers nothing; someone no longer a student is
// not scored.
func TestChurnFailures(t *testing.T) {
	t.Parallel()
	app, lena, stan := newChurnSchool(t)
	svc := hookstest.ServicesOf(app).Churn
	srv := hookstest.Serve(t, app)
	_, err := app.DB().NewQuery("CREATE TRIGGER stuck BEFORE INSERT ON churn_scores BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END").Execute()
	require.NoError(t, err)
	require.ErrorContains(t, svc.Recompute(app, cast.Now()), "churn score")
	require.Zero(t, countOf(t, app, "churn_scores", dbx.HashExp{"student": lena.Id}))
	_, err = app.DB().NewQuery("DROP TRIGGER stuck").Execute()
	require.NoError(t, err)

	_, err = app.DB().Update("users", dbx.Params{"role": platform.RoleGuardian}, dbx.HashExp{"id": stan.Id}).Execute()
	require.NoError(t, err)
	require.NoError(t, svc.Recompute(app, cast.Now()))
	require.Zero(t, countOf(t, app, "churn_scores", dbx.HashExp{"student": stan.Id}), "no longer a student")
	require.EqualValues(t, 1, countOf(t, app, "churn_scores", dbx.HashExp{"student": lena.Id}))

	f := injectFaults(app)
	f.Break("coupons", "create")
	coupons := countOf(t, app, "coupons")
	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/at-risk/"+lena.Id+"/coupon", cast.Tokens[hookstest.Admin], nil))
	require.Equal(t, coupons, countOf(t, app, "coupons"))
	score, err := app.FindFirstRecordByData("churn_scores", "student", lena.Id)
	require.NoError(t, err)
	require.Empty(t, score.GetString("coupon"))
	f.Mend()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/at-risk/"+lena.Id+"/coupon", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
}

// TestChurnJobWithTheDatabaseDown: the daily job reports a database it
// cannot read instead of scoring no one.
func TestChurnJobWithTheDatabaseDown(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.Tampered(app) // nothing to check at cleanup: the database is closed
	svc := hookstest.ServicesOf(app).Churn
	for _, db := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		require.NoError(t, db.(*dbx.DB).Close())
	}
	require.ErrorContains(t, svc.Recompute(app, cast.Now()), "failed to list students")
}
