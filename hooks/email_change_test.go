package hooks_test

import (
	"net/http"
	"regexp"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// request-email-change answers the same for a taken address and a free
// one, and mails only the free one: it no longer tells who has an account.
func TestEmailChangeDoesNotTellTakenAddresses(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	request := func(newEmail string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-email-change", cast.Tokens[hookstest.Student],
			map[string]any{"newEmail": newEmail})
	}

	taken := request(cast.Emails[hookstest.Student2])
	require.Equal(t, 204, taken.Status, string(taken.Body))
	require.Zero(t, app.TestMailer.TotalSend(), "nothing is sent to an address that has an account")

	free := request("stella.new@test.localhost")
	require.Equal(t, 204, free.Status, string(free.Body))
	require.Equal(t, string(free.Body), string(taken.Body), "the same answer")
	require.Equal(t, 1, int(app.TestMailer.TotalSend()))
	msg := app.TestMailer.LastMessage()
	require.Equal(t, "stella.new@test.localhost", msg.To[0].Address)

	t.Run("bad input is still refused", func(t *testing.T) {
		require.Equal(t, 400, request("not-an-email").Status)
		require.Equal(t, 400, request(cast.Emails[hookstest.Student]).Status, "the current address")
	})

	t.Run("an address taken after the request fails at the confirm step", func(t *testing.T) {
		token := regexp.MustCompile(`confirm-email-change\?token=([^"&]+)`).FindStringSubmatch(msg.HTML)
		require.Len(t, token, 2)
		_, err := hookstest.CreateUser(app, "stella.new@test.localhost", "Someone Else", "student")
		require.NoError(t, err)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/confirm-email-change", "",
			map[string]any{"token": token[1], "password": hookstest.Password})
		require.Equal(t, 400, res.Status, string(res.Body))
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		require.Equal(t, cast.Emails[hookstest.Student], u.Email(), "the email is unchanged")
	})
}
