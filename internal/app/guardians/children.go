package guardians

import (
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
)

type childBody struct {
	Name      string `json:"name"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD, optional
	Level     string `json:"level"`
}

// AddChild answers POST /api/guardians/children {name, birth_date?,
// level?}: a guardian creates a student profile for a child without an
// email of their own (the child may get a login later, from staff), linked
// to them. The account, its profile and the link are written together.
func (s *Service) AddChild(e *core.RequestEvent) error {
	if e.Auth.GetString("role") != platform.RoleGuardian {
		return e.ForbiddenError("Your account cannot do this.", nil)
	}
	var in childBody
	if err := e.BindBody(&in); err != nil || strings.TrimSpace(in.Name) == "" {
		return platform.RuleError(http.StatusBadRequest, "name", "validation_required", "Cannot be blank.")
	}
	var birth types.DateTime
	if in.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, in.BirthDate)
		if err != nil || d.After(s.env.Now()) {
			return platform.RuleError(http.StatusBadRequest, "birth_date", "validation_invalid_date", "Give the birth date as YYYY-MM-DD, in the past.")
		}
		birth, _ = types.ParseDateTime(d)
	}
	var child *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		users, err := tx.FindCachedCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		child = core.NewRecord(users)
		child.Load(map[string]any{"name": strings.TrimSpace(in.Name), "role": platform.RoleStudent,
			"locale": e.Auth.GetString("locale"), "timezone": e.Auth.GetString("timezone")})
		child.SetPassword(security.RandomString(40)) // no login until staff give the child an email
		if err := tx.Save(child); err != nil {
			return err
		}
		profile, err := tx.FindFirstRecordByData("students", "user", child.Id)
		if err != nil {
			return err
		}
		profile.Set("birth_date", birth)
		profile.Set("level", in.Level)
		if err := tx.Save(profile); err != nil {
			return err
		}
		_, err = s.link(tx, child.Id, e.Auth.Id, e.Auth.Id)
		return err
	})
	if err != nil && child != nil {
		return platform.WithRecordErrors(e.App, child, err) // a bad name or level, as field errors
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, child)
}

// link writes an accepted link of guardian to student in tx.
func (s *Service) link(tx core.App, student, guardian, by string) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId("guardians")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"student": student, "guardian": guardian, "status": StatusAccepted,
		"invited_by": by, "accepted_at": s.env.Now()})
	if err := tx.Save(r); err != nil {
		return nil, err
	}
	return r, s.changed(tx, student)
}

// Link answers POST /api/guardians/link {student, guardian}: staff link a
// guardian account to a student account directly; each is named by its id
// or its email (staff's page knows people by their email, which
// PocketBase lets only superusers filter on).
func (s *Service) Link(e *core.RequestEvent) error {
	var in struct {
		Student  string `json:"student"`
		Guardian string `json:"guardian"`
	}
	if err := e.BindBody(&in); err != nil {
		return platform.RuleError(http.StatusBadRequest, "student", "validation_required", "Choose the student these lessons are for.")
	}
	in.Student, in.Guardian = userIdOf(e.App, in.Student), userIdOf(e.App, in.Guardian)
	st, err := platform.LoadPerson(e.App, in.Student)
	if err != nil || st.Role != platform.RoleStudent {
		return platform.RuleError(http.StatusBadRequest, "student", "not_a_student", "Guardians are invited for a student account.")
	}
	g, err := platform.LoadPerson(e.App, in.Guardian)
	if err != nil || g.Role != platform.RoleGuardian {
		return platform.RuleError(http.StatusBadRequest, "guardian", "not_a_guardian", "Choose a guardian account.")
	}
	var r *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		if ok, err := platform.IsGuardianOf(tx, in.Guardian, in.Student); err != nil {
			return err
		} else if ok {
			return platform.RuleError(http.StatusBadRequest, "guardian", "already_guardian", "This person is already a guardian of this student.")
		}
		r, err = s.link(tx, in.Student, in.Guardian, platform.ActorID(e))
		return err
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "guardian.link", "guardians", r.Id, nil)
	return e.JSON(http.StatusOK, r)
}

// Remove answers POST /api/guardians/{id}/remove: an open invitation is
// withdrawn by whoever could send it; an accepted link is ended by staff,
// by the guardian (unless the student has no login of their own and no
// other guardian: the profile would be nobody's), or by its student when
// they have their own login and their recorded birth date makes them an
// adult.
func (s *Service) Remove(e *core.RequestEvent) error {
	link, err := e.App.FindRecordById("guardians", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	student, guardian := link.GetString("student"), link.GetString("guardian")
	staff := platform.IsStaff(e)
	if !staff && e.Auth.Id != student && e.Auth.Id != guardian {
		return e.NotFoundError("", nil)
	}
	if err := s.mayRemove(e, link, staff); err != nil {
		return err
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().Delete("guardians", dbx.HashExp{"id": link.Id, "status": link.GetString("status"), "guardian": guardian}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return e.NotFoundError("", nil)
		}
		return s.changed(tx, student)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "guardian.remove", "guardians", link.Id, map[string]any{"student": student, "guardian": guardian})
	return e.NoContent(http.StatusNoContent)
}

func (s *Service) mayRemove(e *core.RequestEvent, link *core.Record, staff bool) error {
	student := link.GetString("student")
	if staff || link.GetString("status") == StatusInvited {
		return nil
	}
	if e.Auth.Id == student {
		if !s.isAdult(e.App, student) || e.Auth.Email() == "" {
			return platform.RuleError(http.StatusForbidden, "student", "not_adult", "Only an adult student can remove a guardian; ask the school.")
		}
		return nil
	}
	var own struct {
		Email string `db:"email"`
	}
	if err := e.App.DB().Select("email").From("users").Where(dbx.HashExp{"id": student}).One(&own); err != nil {
		return err
	}
	others, err := platform.GuardiansOf(e.App, student)
	if err != nil {
		return err
	}
	if own.Email == "" && len(others) <= 1 {
		return platform.RuleError(http.StatusBadRequest, "guardian", "last_guardian", "This child has no login of their own: ask the school to remove their profile.")
	}
	return nil
}

// isAdult reports whether student's recorded birth date makes them an
// adult now (no birth date: not known to be one).
func (s *Service) isAdult(app core.App, student string) bool {
	p, err := app.FindFirstRecordByData("students", "user", student)
	if err != nil {
		return false
	}
	birth := p.GetDateTime("birth_date")
	return !birth.IsZero() && !birth.Time().AddDate(adultYears, 0, 0).After(s.env.Now())
}

// Notices answers POST /api/guardians/{id}/notices {on}: the link's
// guardian chooses whether they receive this student's lesson reminders
// and notices. Answers the link.
func (s *Service) Notices(e *core.RequestEvent) error {
	var in struct {
		On *bool `json:"on"`
	}
	link, err := e.App.FindRecordById("guardians", e.Request.PathValue("id"))
	if err != nil || link.GetString("guardian") != e.Auth.Id || link.GetString("guardian") == "" {
		return e.NotFoundError("", nil)
	}
	if err := e.BindBody(&in); err != nil || in.On == nil {
		return platform.RuleError(http.StatusBadRequest, "on", "validation_required", "Say whether to receive them: {\"on\": true} or false.")
	}
	link.Set("muted", !*in.On)
	if err := e.App.Save(link); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, link)
}

// userIdOf is the id of the user an id or an email (in any case) names
// ("" when no account uses the email).
func userIdOf(app core.App, idOrEmail string) string {
	if !strings.Contains(idOrEmail, "@") {
		return idOrEmail
	}
	var id string
	email := strings.ToLower(strings.TrimSpace(idOrEmail))
	_ = app.DB().Select("id").From("users").Where(dbx.NewExp("LOWER(email) = {:email}", dbx.Params{"email": email})).Limit(1).Row(&id)
	return id // "" when none (sql.ErrNoRows)
}
