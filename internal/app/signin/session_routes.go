package signin

import (
	"net/http"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// SessionView is one sign-in as its owner sees it.
type SessionView struct {
	ID        string `json:"id"`
	Method    string `json:"method"`
	Device    string `json:"device"`
	Browser   string `json:"browser"`
	Network   string `json:"network"`
	FirstSeen string `json:"first_seen"`
	LastSeen  string `json:"last_seen"`
	Current   bool   `json:"current"`
}

// maxListed bounds the sessions listed: the newest first.
const maxListed = 100

// ListSessions answers GET /api/me/sessions: the caller's live sessions,
// the most recently used first, the one making the request marked current.
func (s *Service) ListSessions(e *core.RequestEvent) error {
	var rows []struct {
		ID        string `db:"id"`
		Method    string `db:"method"`
		Device    string `db:"device"`
		Browser   string `db:"browser"`
		Network   string `db:"network"`
		FirstSeen string `db:"first_seen"`
		LastSeen  string `db:"last_seen"`
	}
	err := e.App.DB().Select("id", "method", "device", "browser", "network", "first_seen", "last_seen").From("sessions").
		Where(dbx.HashExp{"user": e.Auth.Id, "revoked_at": ""}).OrderBy("last_seen DESC", "id").Limit(maxListed).All(&rows)
	if err != nil {
		return err
	}
	current := SessionOf(e)
	out := make([]SessionView, len(rows))
	for i, r := range rows {
		out[i] = SessionView{ID: r.ID, Method: r.Method, Device: r.Device, Browser: r.Browser, Network: r.Network,
			FirstSeen: r.FirstSeen, LastSeen: r.LastSeen, Current: r.ID == current}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// RevokeSession answers POST /api/me/sessions/revoke {id}: that session of
// the caller's is signed out (their own current one too: signing out). The
// row is ended by compare-and-set, so of concurrent requests one ends it
// and the others are told it had ended.
func (s *Service) RevokeSession(e *core.RequestEvent) error {
	var body struct {
		ID string `json:"id"`
	}
	if err := e.BindBody(&body); err != nil || body.ID == "" {
		return apis.NewBadRequestError("Say which session to sign out.", validation.Errors{
			"id": validation.NewError("validation_required", "Say which session to sign out.")})
	}
	res, err := e.App.DB().Update("sessions",
		dbx.Params{"revoked_at": dbTime(s.env.Now()), "revoked_reason": EndSignedOut},
		dbx.HashExp{"id": body.ID, "user": e.Auth.Id, "revoked_at": ""}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		platform.Audit(e, "session.revoke", "sessions", body.ID, nil)
		return e.NoContent(http.StatusNoContent)
	}
	var owner string
	_ = e.App.DB().Select("user").From("sessions").Where(dbx.HashExp{"id": body.ID}).Row(&owner)
	if owner != e.Auth.Id {
		return e.NotFoundError("", nil)
	}
	return platform.RuleError(http.StatusBadRequest, "id", platform.CodeBadState, "That session is already signed out.")
}

// RevokeAllSessions answers POST /api/me/sessions/revoke-all: every
// session of the caller ends, this one included, and the token key
// rotates, so even a token no row names (minted before sessions were
// kept) stops working; remembered devices are forgotten too.
func (s *Service) RevokeAllSessions(e *core.RequestEvent) error {
	err := e.App.RunInTransaction(func(tx core.App) error {
		return SignOutEverywhere(tx, e.Auth.Id, EndRevokeAll, s.env.Now())
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "session.revoke_all", "users", e.Auth.Id, nil)
	return e.NoContent(http.StatusNoContent)
}
