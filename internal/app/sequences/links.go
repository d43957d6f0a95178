package sequences

import (
	"encoding/base64"
	"net/http"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/spf13/cast"
)

// tokenLife is how long an unsubscribe link works (a year and a month:
// people unsubscribe from old emails too).
const tokenLife = 400 * day

// tokenType marks an unsubscribe token; its key is the users collection's
// auth token secret with a purpose of its own, so no other token of
// PocketBase's opens it, and it does not change with the person's password.
const tokenType = "sequence_unsubscribe"

func tokenKey(app core.App) (string, error) {
	users, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return "", err
	}
	return users.AuthToken.Secret + "." + tokenType, nil
}

// newToken signs (person, sequence): the unsubscribe link's and the open
// pixel's token.
func newToken(app core.App, person, seq string) (string, error) {
	key, err := tokenKey(app)
	if err != nil {
		return "", err
	}
	return security.NewJWT(map[string]any{"type": tokenType, "person": person, "sequence": seq}, key, tokenLife)
}

// link is what a token names: a sequence and a person who both exist.
type link struct {
	person string
	seq    *core.Record
}

// readToken checks a token's signature, lifetime and type, and that its
// person and sequence exist; otherwise a 400 naming the token.
func readToken(app core.App, tok string) (link, error) {
	refuse := badLink()
	key, err := tokenKey(app)
	if err != nil || tok == "" || len(tok) > 2000 {
		return link{}, refuse
	}
	claims, err := security.ParseJWT(tok, key)
	if err != nil || cast.ToString(claims["type"]) != tokenType {
		return link{}, refuse
	}
	person, seqID := cast.ToString(claims["person"]), cast.ToString(claims["sequence"])
	seq, err := app.FindRecordById("sequences", seqID)
	if err != nil {
		return link{}, refuse
	}
	if _, err := app.FindRecordById("users", person); err != nil {
		return link{}, refuse
	}
	return link{person: person, seq: seq}, nil
}

// UnsubscribeState answers GET /api/sequences/unsubscribe?token=: which
// sequence the link is of and whether its person already unsubscribed
// (no sign-in: the token is the proof).
func (s *Service) UnsubscribeState(e *core.RequestEvent) error {
	l, err := readToken(e.App, e.Request.URL.Query().Get("token"))
	if err != nil {
		return err
	}
	out := struct {
		Sequence     string `db:"-" json:"sequence"`
		Unsubscribed bool   `db:"unsubscribed" json:"unsubscribed"`
		All          bool   `db:"all_sequences" json:"all"`
	}{Sequence: l.seq.GetString("trigger")}
	err = e.App.DB().NewQuery(`SELECT COUNT(*) > 0 AS unsubscribed, COALESCE(MAX(all_sequences), FALSE) AS all_sequences
		FROM sequence_optouts WHERE person = {:p} AND (sequence = {:seq} OR all_sequences = TRUE)`).
		Bind(dbx.Params{"p": l.person, "seq": l.seq.Id}).One(&out)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

// Unsubscribe answers POST /api/sequences/unsubscribe {"token", "all"}:
// the link's person gets no more of its sequence (with all, of any). Once
// is enough: a repeat, or two at once, leave one row (read under the
// write lock; the unique index backs it), and "all" is only ever added.
func (s *Service) Unsubscribe(e *core.RequestEvent) error {
	var body struct {
		Token string `json:"token"`
		All   bool   `json:"all"`
	}
	if err := e.BindBody(&body); err != nil {
		return badLink()
	}
	l, err := readToken(e.App, body.Token)
	if err != nil {
		return err
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByFilter("sequence_optouts", "person = {:p} && sequence = {:seq}", dbx.Params{"p": l.person, "seq": l.seq.Id})
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId("sequence_optouts")
			if err != nil {
				return err
			}
			r = core.NewRecord(col)
			r.Load(map[string]any{"person": l.person, "sequence": l.seq.Id})
		}
		if body.All {
			r.Set("all_sequences", true)
		}
		return tx.Save(r)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"sequence": l.seq.GetString("trigger"), "unsubscribed": true, "all": body.All})
}

// pixel is a transparent 1×1 GIF.
var pixel, _ = base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

// Opened answers GET /api/sequences/open?token= (the image of an email):
// the send is counted opened, the first time only, and the answer is a
// transparent pixel that is never cached.
func (s *Service) Opened(e *core.RequestEvent) error {
	l, err := readToken(e.App, e.Request.URL.Query().Get("token"))
	if err != nil {
		return err
	}
	_, err = e.App.DB().NewQuery(`UPDATE sequence_sends SET opened_at = {:now}
		WHERE sequence = {:seq} AND person = {:p} AND opened_at = ''`).
		Bind(dbx.Params{"now": platform.DBTime(s.env.Now()), "seq": l.seq.Id, "p": l.person}).Execute()
	if err != nil { // the reader's message shows its image all the same
		e.App.Logger().Warn("failed to count a follow-up message opened", "sequence", l.seq.Id, "error", err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, "image/gif", pixel)
}

// badLink is the refusal of a token that is not one of ours.
func badLink() error {
	return platform.RuleError(http.StatusBadRequest, "token", "bad_token", "This link is not valid: open the latest message again.")
}
