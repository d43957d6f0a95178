package guardians

import (
	"net/http"
	"net/mail"
	"net/url"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/mfa"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

type inviteBody struct {
	Email   string `json:"email"`
	Student string `json:"student"`
}

// Invite answers POST /api/guardians/invite {email, student?}: a student
// invites a guardian for themselves, a guardian a second guardian for one
// of their students, staff for any student (named). The link waits,
// invited, with the hash of a secret the email carries; inviting the same
// address again sends a new link and voids the old one.
func (s *Service) Invite(e *core.RequestEvent) error {
	var in inviteBody
	if err := e.BindBody(&in); err != nil {
		return badEmail()
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if email == "" || is.EmailFormat.Validate(email) != nil {
		return badEmail()
	}
	student, err := s.inviter(e, in.Student)
	if err != nil {
		return err
	}
	who, err := platform.LoadPerson(e.App, student)
	if err != nil || who.Role != platform.RoleStudent {
		return platform.RuleError(http.StatusBadRequest, "student", "not_a_student", "Guardians are invited for a student account.")
	}
	secret, err := mfa.NewDeviceSecret()
	if err != nil {
		return err
	}
	var link *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		link, err = s.writeInvite(tx, student, email, mfa.Hash(secret), platform.ActorID(e))
		return err
	})
	if err != nil {
		return err
	}
	s.sendInvite(e, email, who.Name, secret)
	return e.JSON(http.StatusOK, link)
}

// inviter is the student an invitation is for, by the caller's role.
func (s *Service) inviter(e *core.RequestEvent, asked string) (string, error) {
	switch {
	case platform.IsStaff(e):
		if asked == "" {
			return "", platform.RuleError(http.StatusBadRequest, "student", "validation_required", "Choose the student these lessons are for.")
		}
		return asked, nil
	case e.Auth.GetString("role") == platform.RoleStudent:
		if asked != "" && asked != e.Auth.Id {
			return "", platform.RuleError(http.StatusBadRequest, "student", "server_owned", "You can only invite a guardian for yourself.")
		}
		return e.Auth.Id, nil
	case e.Auth.GetString("role") == platform.RoleGuardian:
		return platform.StudentFor(e, asked)
	}
	return "", e.ForbiddenError("Your account cannot do this.", nil)
}

// writeInvite replaces any open invitation of student to email with a new
// one, in tx, refusing an address that already guards the student and a
// student with too many open invitations.
func (s *Service) writeInvite(tx core.App, student, email, hash, by string) (*core.Record, error) {
	var guarding int
	err := tx.DB().NewQuery(`SELECT count(*) FROM guardians g JOIN users u ON u.id = g.guardian
		WHERE g.student = {:s} AND g.status = 'accepted' AND lower(u.email) = {:e}`).
		Bind(dbx.Params{"s": student, "e": email}).Row(&guarding)
	if err != nil {
		return nil, err
	}
	if guarding > 0 {
		return nil, platform.RuleError(http.StatusBadRequest, "email", "already_guardian", "This person is already a guardian of this student.")
	}
	if _, err := tx.DB().Delete("guardians", dbx.HashExp{"student": student, "email": email, "status": StatusInvited}).Execute(); err != nil {
		return nil, err
	}
	var open int
	if err := tx.DB().Select("count(*)").From("guardians").Where(dbx.HashExp{"student": student, "status": StatusInvited}).Row(&open); err != nil {
		return nil, err
	}
	if open >= maxOpenInvites {
		return nil, platform.RuleError(http.StatusBadRequest, "email", "too_many_invites", "This student has too many open invitations: wait for one to be accepted.")
	}
	col, err := tx.FindCachedCollectionByNameOrId("guardians")
	if err != nil {
		return nil, err
	}
	link := core.NewRecord(col)
	link.Load(map[string]any{"student": student, "email": email, "status": StatusInvited, "token_hash": hash, "invited_by": by})
	return link, tx.Save(link)
}

// sendInvite emails the invitation through PocketBase's mailer (the
// school's SMTP), in the inviter's language. A failed send is logged: the
// inviter sees the open invitation and can send it again.
func (s *Service) sendInvite(e *core.RequestEvent, email, studentName, secret string) {
	ev := notify.Event{
		Kind: notify.KindGuardianInvite, StudentName: studentName,
		Link: strings.TrimRight(s.env.Config.AppURL, "/") + "/guardian-invite?token=" + url.QueryEscape(secret),
	}
	if !platform.IsStaffRecord(e.Auth) || e.Auth.Collection().Name == "users" {
		ev.OtherParty = e.Auth.GetString("name")
	}
	msg, err := notify.Render(ev, notify.Recipient{Locale: platform.RequestLang(e)})
	if err != nil {
		e.App.Logger().Error("failed to render a guardian invitation", "error", err)
		return
	}
	settings := e.App.Settings().Meta
	err = e.App.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: settings.SenderName, Address: settings.SenderAddress},
		To:      []mail.Address{{Address: email}},
		Subject: msg.Title, HTML: msg.HTML, Text: msg.Text,
	})
	if err != nil {
		e.App.Logger().Error("failed to send a guardian invitation", "error", err)
	}
}

func badEmail() error {
	return platform.RuleError(http.StatusBadRequest, "email", "validation_is_email", "Must be a valid email address.")
}

// Accept answers POST /api/guardians/accept {token}: the signed-in
// guardian becomes the guardian the invitation names a student for. The
// link is found by the secret's hash and moved from invited to accepted
// in one transaction, under the write lock, so a link is accepted once.
func (s *Service) Accept(e *core.RequestEvent) error {
	var body struct {
		Token string `json:"token"`
	}
	invalid := platform.RuleError(http.StatusBadRequest, "token", "invalid_token", "This invitation was used already, or is not valid.")
	if err := e.BindBody(&body); err != nil || body.Token == "" {
		return invalid
	}
	if e.Auth.GetString("role") != platform.RoleGuardian {
		return platform.RuleError(http.StatusBadRequest, "token", "not_a_guardian", "Sign in with a guardian account to accept this invitation.")
	}
	hash := mfa.Hash(body.Token)
	var link *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		found, err := tx.FindFirstRecordByFilter("guardians", "token_hash = {:h} && status = 'invited'", dbx.Params{"h": hash})
		if err != nil {
			return invalid
		}
		if found.GetString("student") == e.Auth.Id {
			return invalid
		}
		if ok, err := platform.IsGuardianOf(tx, e.Auth.Id, found.GetString("student")); err != nil {
			return err
		} else if ok {
			return platform.RuleError(http.StatusBadRequest, "token", "already_guardian", "This person is already a guardian of this student.")
		}
		// found in this transaction, under the write lock: the update
		// cannot miss it, and a second accept finds it accepted
		_, err = tx.DB().Update("guardians",
			dbx.Params{"guardian": e.Auth.Id, "status": StatusAccepted, "token_hash": "", "accepted_at": platform.DBTime(s.env.Now())},
			dbx.HashExp{"id": found.Id, "token_hash": hash, "status": StatusInvited}).Execute()
		if err != nil {
			return err
		}
		if link, err = tx.FindRecordById("guardians", found.Id); err != nil {
			return err
		}
		return s.changed(tx, link.GetString("student"))
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "guardian.accept", "guardians", link.Id, nil)
	return e.JSON(http.StatusOK, link)
}
