package signin

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"tutorbase/internal/useragent"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"
)

// ClaimSession is the claim of an auth token that names its sessions row.
const ClaimSession = "sid"

// Why a session ended (sessions.revoked_reason).
const (
	EndSignedOut       = "signed_out"
	EndRevokeAll       = "revoke_all"
	EndPasswordChanged = "password_changed"
	EndNotMe           = "not_me"
	EndSuspended       = "suspended"
)

// lastSeenStep is how stale last_seen may get before a request writes it
// again: one write per session per step, not one per request.
const lastSeenStep = 5 * time.Minute

func (s *Service) registerSessions(app core.App) {
	app.OnRecordAuthRequest("users").BindFunc(s.onAuth)
	app.OnRecordUpdate("users").BindFunc(s.endSessionsOnNewPassword)
	app.OnRecordUpdateRequest("users").BindFunc(s.keepSessions)
	app.OnRecordConfirmPasswordResetRequest("users").BindFunc(s.keepSessionsOnReset)
	// after PocketBase's own execute handler (priority 99) has rotated the
	// key for the new password, before the row is written
	app.OnRecordUpdateExecute("users").Bind(&hook.Handler[*core.RecordEvent]{Func: s.keepTokenKey, Priority: 100})
}

// hashToken is the SHA-256 of a token, the only form of it stored.
func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// mint issues an auth token like PocketBase's own (same claims, key and
// lifetime) that also names its session.
func mint(r *core.Record, sid string) (string, error) {
	claims := map[string]any{
		core.TokenClaimType:         core.TokenTypeAuth,
		core.TokenClaimId:           r.Id,
		core.TokenClaimCollectionId: r.Collection().Id,
		core.TokenClaimRefreshable:  true,
		ClaimSession:                sid,
	}
	return security.NewJWT(claims, r.TokenKey()+r.Collection().AuthToken.Secret, r.Collection().AuthToken.DurationTime())
}

// requestToken is the auth token a request carries, if any.
func requestToken(e *core.RequestEvent) string {
	tok := e.Request.Header.Get("Authorization")
	if len(tok) > 7 && strings.EqualFold(tok[:7], "Bearer ") {
		tok = tok[7:]
	}
	return tok
}

// SessionOf is the sessions id named by a request's token ("" when it
// names none: a token minted by code, or by a version before sessions).
func SessionOf(e *core.RequestEvent) string {
	tok := requestToken(e)
	if tok == "" {
		return ""
	}
	claims, err := security.ParseUnverifiedJWT(tok)
	if err != nil {
		return ""
	}
	return cast.ToString(claims[ClaimSession])
}

// onAuth opens a session for every sign-in and carries it over on a token
// refresh: the token the client gets names its row. A sign-in that does
// not complete (a second factor still owed, a refusal) leaves no row.
func (s *Service) onAuth(e *core.RecordAuthRequestEvent) error {
	if e.AuthMethod == "" {
		return s.carrySession(e)
	}
	sess, err := s.newSession(e.App, e.RequestEvent, e.Record, e.AuthMethod)
	if err != nil {
		return err
	}
	tok, err := mint(e.Record, sess.Id)
	if err != nil {
		return err
	}
	sess.Set("token_hash", hashToken(tok))
	if err := e.App.Save(sess); err != nil {
		return err
	}
	e.Token = tok
	s.alerting.Store(e.Record.Id, sess.Id)
	defer s.alerting.CompareAndDelete(e.Record.Id, sess.Id)
	if err := e.Next(); err != nil {
		if derr := e.App.Delete(sess); derr != nil {
			e.App.Logger().Error("failed to delete the session of a sign-in that did not complete", "error", derr)
		}
		return err
	}
	return nil
}

// newSession is the row of a sign-in being made, not written yet: its id
// is chosen here, so that the token naming it is minted before the row's
// one write (a write that fails leaves nothing).
func (s *Service) newSession(app core.App, e *core.RequestEvent, user *core.Record, method string) (*core.Record, error) {
	c, err := app.FindCachedCollectionByNameOrId("sessions")
	if err != nil {
		return nil, err
	}
	agent := useragent.Parse(e.Request.UserAgent())
	now := s.env.Now().UTC()
	r := core.NewRecord(c)
	r.Load(map[string]any{
		"user": user.Id, "method": method, "device": agent.Device, "browser": agent.Browser,
		"network": useragent.Network(e.RealIP()), "first_seen": now, "last_seen": now,
	})
	r.Id = core.GenerateDefaultRandomId()
	return r, nil
}

// carrySession gives a refreshed token the session of the token it
// replaces (impersonation and tokens without a session get none).
func (s *Service) carrySession(e *core.RecordAuthRequestEvent) error {
	sid := SessionOf(e.RequestEvent)
	if sid == "" || e.RequestEvent.Auth == nil || e.RequestEvent.Auth.Id != e.Record.Id {
		return e.Next()
	}
	tok, err := mint(e.Record, sid)
	if err != nil {
		return err
	}
	e.Token = tok
	return e.Next()
}

// RefuseEndedSessions is a router middleware, after PocketBase reads the
// auth token, that refuses a token whose session was ended (signed out
// from the list, everywhere, or "not me") with a 401, and keeps last_seen
// of a live one.
func (s *Service) RefuseEndedSessions() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseRefuseEndedSessions",
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil || e.Auth.Collection().Name != "users" {
				return e.Next()
			}
			sid := SessionOf(e)
			if sid == "" {
				return e.Next()
			}
			var row struct {
				User     string         `db:"user"`
				Revoked  types.DateTime `db:"revoked_at"`
				LastSeen types.DateTime `db:"last_seen"`
			}
			err := e.App.DB().Select("user", "revoked_at", "last_seen").From("sessions").Where(dbx.HashExp{"id": sid}).One(&row)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && (row.User != e.Auth.Id || !row.Revoked.IsZero())) {
				e.Auth = nil
				return e.UnauthorizedError("You were signed out on this device. Sign in again.", nil)
			}
			if err != nil {
				return err
			}
			if now := s.env.Now().UTC(); now.Sub(row.LastSeen.Time()) > lastSeenStep {
				_, err := e.App.DB().Update("sessions", dbx.Params{"last_seen": dbTime(now)}, dbx.HashExp{"id": sid}).Execute()
				if err != nil {
					e.App.Logger().Warn("failed to note a session's last request", "error", err)
				}
			}
			return e.Next()
		},
	}
}

// dbTime is an instant as PocketBase stores dates.
func dbTime(t time.Time) string { d, _ := types.ParseDateTime(t.UTC()); return d.String() }

// endSessions ends every live session of a user, in the caller's
// transaction when app is one.
func endSessions(app core.App, user, reason string, now time.Time) error {
	_, err := app.DB().Update("sessions",
		dbx.Params{"revoked_at": dbTime(now), "revoked_reason": reason},
		dbx.HashExp{"user": user, "revoked_at": ""}).Execute()
	return err
}

// endSessionsOnNewPassword: a new password rotates the token key
// (PocketBase), which signs every device out, and the rows say so; unless
// the owner asked to keep their other devices (keepSessions).
func (s *Service) endSessionsOnNewPassword(e *core.RecordEvent) error {
	changing := e.Record.GetString("password") != "" // the plain value is set only while changing
	if err := e.Next(); err != nil || !changing {
		return err
	}
	if _, keep := s.keeping.Load(e.Record.Id); keep {
		return nil
	}
	return endSessions(e.App, e.Record.Id, EndPasswordChanged, s.env.Now())
}

// keepSessions lets the owner changing their password keep their other
// devices signed in ("keepOtherSessions": true beside the new password).
// Without it (the default), a new password signs every device out.
func (s *Service) keepSessions(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	keep, _ := info.Body["keepOtherSessions"].(bool)
	if !keep || cast.ToString(info.Body["password"]) == "" || e.Auth == nil || e.Auth.Id != e.Record.Id {
		return e.Next()
	}
	return s.keepingWhile(e.Record.Id, e.Next)
}

// keepSessionsOnReset offers the same choice on a password reset by
// email. The web app's box to sign the other devices out is ticked by
// default there: whoever resets may be locked out by an intruder.
func (s *Service) keepSessionsOnReset(e *core.RecordConfirmPasswordResetRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if keep, _ := info.Body["keepOtherSessions"].(bool); !keep {
		return e.Next()
	}
	return s.keepingWhile(e.Record.Id, e.Next)
}

func (s *Service) keepingWhile(user string, next func() error) error {
	s.keeping.Store(user, true)
	defer s.keeping.Delete(user)
	return next()
}

// keepTokenKey puts back the stored token key that PocketBase rotates
// with every new password, for an owner keeping their other devices: in
// the same write, so the new password and the kept devices commit
// together.
func (s *Service) keepTokenKey(e *core.RecordEvent) error {
	if _, keep := s.keeping.Load(e.Record.Id); keep && e.Record.GetString("password") != "" {
		e.Record.SetTokenKey(e.Record.Original().TokenKey())
	}
	return e.Next()
}

// SignOutEverywhere ends every session of a user for reason: their rows
// end, their token key rotates (so no token issued before works), and
// their remembered devices ask for the second factor again. Call it in a
// transaction.
func SignOutEverywhere(tx core.App, userID, reason string, now time.Time) error {
	u, err := tx.FindRecordById("users", userID)
	if err != nil {
		return err
	}
	u.RefreshTokenKey()
	if u.Collection().Fields.GetByName(fieldTrusted) != nil {
		u.Set(fieldTrusted, nil)
	}
	if err := tx.Save(u); err != nil {
		return err
	}
	return endSessions(tx, userID, reason, now)
}
