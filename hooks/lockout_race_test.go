package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// Wrong passwords sent all at once are counted before any of them is
// checked, so the attempt after the tenth is refused however they arrived:
// 24 parallel wrong guesses, then the right password while they are still
// being checked, is answered like a wrong password, and the lock stays.
//
// The wrong guesses are held at the password check (a probe bound after the
// lockout hook) until the right one has been answered: that is the window
// bcrypt opens on a busy server, where the right password slipped through
// (it read the count before any failure was written).
func TestLockoutHoldsUnderParallelGuesses(t *testing.T) {
	t.Parallel()
	const parallel, rounds = 24, 5
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)

	var held atomic.Int64
	var gate chan struct{}
	app.OnRecordAuthWithPasswordRequest().BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		if e.Password != hookstest.Password {
			held.Add(1)
			select { // bounded: a round that fails must not hold the server's Close (and the package) forever
			case <-gate:
			case <-time.After(time.Minute):
			}
		}
		return e.Next()
	})
	srv := hookstest.Serve(t, app)

	for round := 1; round <= rounds; round++ {
		email := fmt.Sprintf("guessed%d@test.localhost", round)
		_, err := hookstest.CreateUser(app, email, "Guessed Person", "student")
		require.NoError(t, err)
		gate = make(chan struct{})
		held.Store(0)
		var answered atomic.Int64
		results := make([]signInResult, parallel)
		var wg sync.WaitGroup
		for i := range parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = signIn(srv, email, fmt.Sprintf("wrong-guess-number-%d", i))
				answered.Add(1)
			}()
		}
		// every guess is either answered or waiting at the password check
		require.Eventually(t, func() bool { return held.Load()+answered.Load() == parallel }, time.Minute, time.Millisecond) // generous: the shared machine may be loaded

		right := signIn(srv, email, hookstest.Password)
		close(gate)
		wg.Wait()

		require.NoError(t, right.err)
		require.Equal(t, 400, right.status, "round %d: the right password after 24 parallel guesses is refused: %s", round, right.body)
		for i, r := range results {
			require.NoError(t, r.err)
			require.Equal(t, 400, r.status, "guess %d", i)
			require.Equal(t, results[0].body, r.body, "a locked guess looks like a wrong one")
		}
		require.Equal(t, results[0].body, right.body, "the refusal looks like a wrong password")
		require.LessOrEqual(t, held.Load(), int64(10), "at most ten guesses reach the password check")
		lock, err := app.FindFirstRecordByData("login_attempts", "identity", email)
		require.NoError(t, err, "the lock row is still there")
		require.True(t, lock.GetDateTime("locked_until").Time().After(time.Now()), "and still locks")
	}
}

type signInResult struct {
	status int
	body   string
	err    error
}

// signIn posts one password sign-in (from a goroutine: no t.Fatal).
func signIn(srv *httptest.Server, identity, pw string) signInResult {
	b, _ := json.Marshal(map[string]string{"identity": identity, "password": pw})
	res, err := srv.Client().Post(srv.URL+authPath, "application/json", bytes.NewReader(b))
	if err != nil {
		return signInResult{err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return signInResult{status: res.StatusCode, body: string(body), err: err}
}
