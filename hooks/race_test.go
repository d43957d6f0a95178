package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// manyStudents creates n student accounts and returns their tokens. They
// share one precomputed password hash, so this is quick.
func manyStudents(t testing.TB, app core.App, n int) []string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(hookstest.Password), 4)
	require.NoError(t, err)
	col, err := app.FindCachedCollectionByNameOrId("users")
	require.NoError(t, err)
	tokens := make([]string, n)
	for i := range tokens {
		u := core.NewRecord(col)
		u.SetEmail("racer" + itoa3(i) + "@test.localhost")
		u.SetRaw("password", &core.PasswordFieldValue{Hash: string(hash)})
		u.Set("name", "Racer "+itoa3(i))
		u.Set("role", "student")
		u.SetVerified(true) // students book with a confirmed email
		require.NoError(t, app.Save(u))
		tokens[i], err = u.NewStaticAuthToken(time.Hour)
		require.NoError(t, err)
	}
	return tokens
}

func itoa3(i int) string {
	return string([]byte{byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}

// TestConcurrentBookingsOneWinner: 50 students book the same slot at the
// same moment through the HTTP API; exactly one wins, 49 get a 409, and the
// database holds one booking. Repeated over 20 slots (1,000 requests).
func TestConcurrentBookingsOneWinner(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	tokens := manyStudents(t, app, 50)
	noUnpaidCap(t, app) // a racer may win more rounds than the school's cap of unpaid lessons

	for round := 0; round < 20; round++ {
		start, end := romeSlot(3+round/10, 8+round%10, 0, 60)
		statuses := make([]int, len(tokens))
		hookstest.Together(len(tokens), func(i int) {
			statuses[i] = hookstest.Call(t, srv, http.MethodPost, bookingsURL, tokens[i],
				map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end}).Status
		})
		won, lost := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				won++
			case 409:
				lost++
			default:
				t.Fatalf("round %d: unexpected status %d", round, s)
			}
		}
		require.Equal(t, 1, won, "round %d: exactly one winner", round)
		require.Equal(t, 49, lost, "round %d", round)
		n, err := app.CountRecords("bookings", dbx.HashExp{"tutor": cast.Tutors[hookstest.Tutor2], "start": toDB(start)})
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "round %d: one booking stored", round)
	}
}

// A batch is one transaction: two overlapping lessons in it are refused
// together, whichever path writes them.
func TestBatchCannotStoreAnOverlap(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	s, e := romeSlot(3, 10, 0, 60)
	s2, e2 := romeSlot(3, 10, 30, 60)
	body := map[string]any{"requests": []map[string]any{
		{"method": "POST", "url": bookingsURL, "body": map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e}},
		{"method": "POST", "url": bookingsURL, "body": map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s2, "end": e2, "notes": "second"}},
	}}
	res := hookstest.Call(t, srv, http.MethodPost, "/api/batch", cast.Tokens[hookstest.Student], body)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "slot_conflict")
	require.Equal(t, int64(fixtureBookings), countWhere(t, app, "bookings", nil), "the whole batch rolled back")
}

func toDB(rfc string) string {
	t, _ := time.Parse(time.RFC3339, rfc)
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}
