package accounts

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/lang"
	"tutorbase/internal/password"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/spf13/cast"
)

// passwordKeys are the request fields that carry a users password.
var passwordKeys = []string{"password", "passwordConfirm", "oldPassword"}

// PrehashPasswords is a router middleware that lets users passwords be up
// to 128 characters although bcrypt stops at 72 bytes: before PocketBase
// reads a request that sets or checks a users password (records API, batch,
// password reset), a password over 71 bytes is checked against what only
// its raw form shows (its length, the email inside it) and replaced by
// password.Prehash. Sign-in prehashes in the lockout hook.
func PrehashPasswords() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbasePrehashPasswords",
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			path := path(e)
			if e.Request.Method != http.MethodPost && e.Request.Method != http.MethodPatch {
				return e.Next()
			}
			isUsers := strings.HasPrefix(path, "/api/collections/users/records") ||
				strings.HasPrefix(path, "/api/collections/_pb_users_auth_/records") ||
				path == "/api/collections/users/confirm-password-reset"
			if !isUsers && path != "/api/batch" {
				return e.Next()
			}
			if err := rewritePasswords(e, path != "/api/batch"); err != nil {
				return err
			}
			return e.Next()
		},
	}
}

func rewritePasswords(e *core.RequestEvent, direct bool) error {
	ct := e.Request.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		raw, err := io.ReadAll(e.Request.Body)
		if err != nil {
			return apis.NewBadRequestError("Failed to read the request body.", nil)
		}
		body := raw
		if len(raw) > 0 && bytes.Contains(raw, []byte("assword")) {
			if direct {
				body, err = rewriteJSONObject(e.App, path(e), raw, e.Request.Header.Get("Accept-Language"))
			} else {
				body, err = rewriteBatch(e, raw)
			}
			if err != nil {
				return err
			}
		}
		e.Request.Body = &router.RereadableReadCloser{ReadCloser: io.NopCloser(bytes.NewReader(body))}
		e.Request.ContentLength = int64(len(body))
		return nil
	case direct && (strings.HasPrefix(ct, "multipart/form-data") || strings.HasPrefix(ct, "application/x-www-form-urlencoded")):
		if strings.HasPrefix(ct, "multipart/") {
			if err := e.Request.ParseMultipartForm(32 << 20); err != nil {
				return nil // PocketBase answers the malformed body itself
			}
		} else if err := e.Request.ParseForm(); err != nil {
			return nil
		}
		owner := ownerOf(e.App, path(e), e.Request.FormValue, e.Request.Header.Get("Accept-Language"))
		for _, k := range passwordKeys {
			for i, v := range e.Request.Form[k] {
				pw, err := checkLongPassword(k, v, owner)
				if err != nil {
					return err
				}
				e.Request.Form[k][i] = pw
				if e.Request.PostForm != nil && i < len(e.Request.PostForm[k]) {
					e.Request.PostForm[k][i] = pw
				}
				if e.Request.MultipartForm != nil && i < len(e.Request.MultipartForm.Value[k]) {
					e.Request.MultipartForm.Value[k][i] = pw
				}
			}
		}
	}
	return nil
}

func path(e *core.RequestEvent) string { return e.Request.URL.Path }

// rewriteJSONObject prehashes the password fields of one JSON object body
// sent to urlPath.
func rewriteJSONObject(app core.App, urlPath string, raw []byte, acceptLang string) ([]byte, error) {
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return raw, nil // not an object: PocketBase answers it
	}
	owner := ownerOf(app, urlPath, func(k string) string { return cast.ToString(obj[k]) }, acceptLang)
	changed := false
	for _, k := range passwordKeys {
		v, ok := obj[k].(string)
		if !ok {
			continue
		}
		pw, err := checkLongPassword(k, v, owner)
		if err != nil {
			return nil, err
		}
		if pw != v {
			obj[k], changed = pw, true
		}
	}
	if !changed {
		return raw, nil
	}
	return json.Marshal(obj)
}

// rewriteBatch prehashes the passwords of the batch requests aimed at users.
func rewriteBatch(e *core.RequestEvent, raw []byte) ([]byte, error) {
	var batch struct {
		Requests []map[string]any `json:"requests"`
	}
	if err := json.Unmarshal(raw, &batch); err != nil {
		return raw, nil
	}
	for _, r := range batch.Requests {
		url := cast.ToString(r["url"])
		if !strings.HasPrefix(url, "/api/collections/users/records") {
			continue
		}
		body, ok := r["body"].(map[string]any)
		if !ok {
			continue
		}
		b, _ := json.Marshal(body)
		out, err := rewriteJSONObject(e.App, url, b, e.Request.Header.Get("Accept-Language"))
		if err != nil {
			return nil, err
		}
		var nb map[string]any
		_ = json.Unmarshal(out, &nb)
		r["body"] = nb
	}
	var all map[string]any
	_ = json.Unmarshal(raw, &all)
	all["requests"] = batch.Requests
	return json.Marshal(all)
}

// checkLongPassword applies what the policy can only see in a password's
// raw form (its length, the email inside it, its strength) and returns what
// PocketBase should receive. A new password sent already in the prehashed
// form is refused: it would skip those checks.
func checkLongPassword(key, pw string, o passwordOwner) (string, error) {
	if key == "password" && password.IsPrehashed(pw) {
		return "", passwordError("password_invalid", "Choose another password.")
	}
	if len(pw) <= password.BcryptLimit {
		return pw, nil
	}
	if key == "password" {
		if utf8.RuneCountInString(pw) > password.DefaultPolicy().MaxLength {
			return "", passwordError("password_too_long", (&password.Error{Code: password.CodeTooLong, Limit: password.DefaultPolicy().MaxLength}).Text(o.lang))
		}
		var perr *password.Error
		err := password.DefaultPolicy().Check(pw, o.email, false)
		if err == nil || !errors.As(err, &perr) || perr.Code != password.CodeContainsEmail {
			err = password.CheckStrength(pw, o.context)
		}
		if errors.As(err, &perr) {
			return "", passwordError("password_"+perr.Code, perr.Text(o.lang))
		}
	}
	return password.Prehash(pw), nil
}

func passwordError(code, msg string) error {
	return apis.NewBadRequestError("Failed to save the password.", validation.Errors{"password": validation.NewError(code, msg)})
}

// passwordOwner is what the checks of a new password know of its account.
type passwordOwner struct {
	email, lang string
	context     password.Context
}

// ownerOf finds the account whose password a request to urlPath sets: from
// the submitted data (sign-up), the record being updated, or the password
// reset token. acceptLang is the request's Accept-Language header.
func ownerOf(app core.App, urlPath string, get func(string) string, acceptLang string) passwordOwner {
	urlPath, _, _ = strings.Cut(urlPath, "?")
	var r *core.Record
	if id := strings.TrimPrefix(urlPath, "/api/collections/users/records/"); id != urlPath && id != "" {
		r, _ = app.FindRecordById("users", id)
	} else if strings.HasSuffix(urlPath, "/confirm-password-reset") {
		if claims, err := security.ParseUnverifiedJWT(get("token")); err == nil {
			r, _ = app.FindAuthRecordByEmail("users", cast.ToString(claims[core.TokenClaimEmail]))
		}
	}
	o := passwordOwner{email: get("email"), lang: get("locale")}
	name := get("name")
	if r != nil {
		o.email = cmp.Or(o.email, r.Email())
		o.lang = cmp.Or(o.lang, r.GetString("locale"))
		name = cmp.Or(name, r.GetString("name"))
	}
	if l, ok := lang.FromHeader(acceptLang); ok {
		o.lang = cmp.Or(o.lang, l)
	}
	o.context = passwordContext(app, name, o.email)
	return o
}

// passwordContext is what an attacker knows of an account: its name, its
// email and the school's name.
func passwordContext(app core.App, name, email string) password.Context {
	school := ""
	if s, err := platform.LoadSchool(app); err == nil {
		school = s.Name
	}
	return password.NewContext(name, email, school)
}
