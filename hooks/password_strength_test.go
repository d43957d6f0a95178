package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/password"

	"github.com/stretchr/testify/require"
)

// Long but predictable passwords are refused on sign-up, password change
// and reset, with a reason in the account's language.
func TestPasswordStrength(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)

	signUpAs := func(email, name, pw string, extra map[string]any, header map[string]string) hookstest.Response {
		body := map[string]any{"email": email, "name": name, "password": pw, "passwordConfirm": pw}
		for k, v := range extra {
			body[k] = v
		}
		return hookstest.CallWith(t, srv, http.MethodPost, "/api/collections/users/records", "", body, header)
	}
	refused := func(t *testing.T, res hookstest.Response, email string) map[string]any {
		t.Helper()
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"password":{"code":"password_weak"`)
		_, err := app.FindAuthRecordByEmail("users", email)
		require.Error(t, err, "nothing is written")
		return res.JSON()["data"].(map[string]any)["password"].(map[string]any)
	}

	for _, pw := range []string{
		"password1234567890", "123456789012345678", "aaaaaaaaaaaaaaaa", "qwertyuiopasdfgh",
		"TutorbaseSchool2024", "tutorbaseschool12345", "giuliarossi12345", "GiuliaRossi2024!!",
	} {
		t.Run("sign-up refuses "+pw, func(t *testing.T) {
			refused(t, signUpAs("giulia.rossi@test.localhost", "Giulia Rossi", pw, map[string]any{"locale": "en"}, nil), "giulia.rossi@test.localhost")
		})
	}
	t.Run("the message names what makes it guessable, in the chosen language", func(t *testing.T) {
		e := refused(t, signUpAs("giulia.rossi@test.localhost", "Giulia Rossi", "giuliarossi12345", map[string]any{"locale": "en"}, nil), "giulia.rossi@test.localhost")
		require.Equal(t, "This password is too easy to guess: it contains your name or email and a common password. Add a few more words: an unusual phrase is best.", e["message"])
		e = refused(t, signUpAs("giulia.rossi@test.localhost", "Giulia Rossi", "qwertyuiop1qaz2w", map[string]any{"locale": "it"}, nil), "giulia.rossi@test.localhost")
		require.Contains(t, e["message"], "Questa password è troppo facile da indovinare")
	})
	t.Run("without a locale, the browser's Accept-Language decides", func(t *testing.T) {
		e := refused(t, signUpAs("anon@test.localhost", "Anon", "aaaaaaaaaaaaaaaa", nil, map[string]string{"Accept-Language": "it-IT,it;q=0.9,en;q=0.8"}), "anon@test.localhost")
		require.Equal(t, "Questa password è troppo facile da indovinare: contiene una ripetizione. Aggiungi qualche parola: una frase insolita è la scelta migliore.", e["message"])
		e = refused(t, signUpAs("anon@test.localhost", "Anon", "aaaaaaaaaaaaaaaa", nil, map[string]string{"Accept-Language": "en-GB,en;q=0.9"}), "anon@test.localhost")
		require.Contains(t, e["message"], "a repeated sequence")
	})
	t.Run("a long predictable password (prehashed past 71 bytes) is checked in its raw form", func(t *testing.T) {
		pw := strings.Repeat("1234567890", 8)
		refused(t, signUpAs("long@test.localhost", "Long", pw, map[string]any{"locale": "en"}, nil), "long@test.localhost")
	})
	t.Run("a new password sent in the prehashed form is refused", func(t *testing.T) {
		pw := password.Prehash(strings.Repeat("a", 100))
		res := signUpAs("pre@test.localhost", "Pre", pw, nil, nil)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"password":{"code":"password_invalid"`)
	})
	t.Run("the e2e and demo passphrases pass", func(t *testing.T) {
		for i, pw := range []string{"a walk along the river at dawn", "demo-lessons-2027", hookstest.Password} {
			email := "ok" + string(rune('a'+i)) + "@test.localhost"
			res := signUpAs(email, "Okay Person", pw, nil, nil)
			require.Equal(t, 200, res.Status, "%s: %s", pw, res.Body)
		}
	})
	t.Run("changing a password applies it, in the account's language", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		u.Set("locale", "it")
		require.NoError(t, app.Save(u))
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+u.Id, cast.Tokens[hookstest.Student],
			map[string]any{"oldPassword": hookstest.Password, "password": "Stella1234567890", "passwordConfirm": "Stella1234567890"})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"password":{"code":"password_weak","message":"Questa password è troppo facile da indovinare: contiene il tuo nome o la tua email`)
	})
	t.Run("a password reset applies it", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student2])
		require.NoError(t, err)
		tok, err := u.NewPasswordResetToken()
		require.NoError(t, err)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/confirm-password-reset", "",
			map[string]any{"token": tok, "password": "1qaz2wsx3edc4rfv5tgb", "passwordConfirm": "1qaz2wsx3edc4rfv5tgb"})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"code":"password_weak"`)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/confirm-password-reset", "",
			map[string]any{"token": tok, "password": "otto reads old maps on trains", "passwordConfirm": "otto reads old maps on trains"})
		require.Equal(t, 204, res.Status, string(res.Body))
	})
}
