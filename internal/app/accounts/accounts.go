package accounts

import (
	"errors"
	"net/mail"
	"slices"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/lang"
	"tutorbase/internal/notify"
	"tutorbase/internal/password"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

func (s *Service) registerAccounts(app core.App) {
	app.OnRecordCreateRequest("users").BindFunc(signUpRequest)
	app.OnRecordUpdateRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		return platform.WithRecordErrors(e.App, e.Record, e.Next()) // a password change hears of every bad field
	})
	app.OnRecordCreate("users").BindFunc(createUser)
	app.OnRecordUpdate("users").BindFunc(updateUser)
	app.OnRecordValidate("users").BindFunc(s.validateUser)
	// Email links go to the web app; its URL comes from TB_APP_URL. Tests
	// register on an app that is already bootstrapped.
	url := s.env.Config.AppURL
	if app.IsBootstrapped() {
		useAppURL(app, url)
		return
	}
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		useAppURL(e.App, url)
		return nil
	})
}

// signUpRequest: only staff may create admins (the create rule already
// says so; this answers with a field error on every path, batch
// included), and a new account speaks the browser's language.
func signUpRequest(e *core.RecordRequestEvent) error {
	if role := e.Record.GetString("role"); role == platform.RoleAdmin && !platform.IsStaff(e.RequestEvent) {
		return apis.NewBadRequestError("Failed to create record.", validation.Errors{
			"role": validation.NewError("forbidden_role", "You can sign up as a student or a tutor."),
		})
	}
	// an account without an email is a child's profile, made by a guardian
	// through the server; a sign-up names one
	if e.Record.Email() == "" && !platform.IsStaff(e.RequestEvent) {
		return apis.NewBadRequestError("Failed to create record.", validation.Errors{
			"email": validation.NewError("validation_required", "Cannot be blank."),
		})
	}
	// messages (a refused password first) speak the browser's language
	if e.Record.GetString("locale") == "" {
		if l, ok := lang.FromHeader(e.Request.Header.Get("Accept-Language")); ok {
			e.Record.Set("locale", l)
		}
	}
	err := e.Next()
	if err == nil {
		return nil
	}
	r := e.Record.Clone() // as createUser would complete it, for every bad field in one answer
	_ = applyUserDefaults(e.App, r)
	return platform.WithRecordErrors(e.App, r, err)
}

// createUser writes the account with its profile (and, for an admin, the
// rules naming admins) in one transaction.
func createUser(e *core.RecordEvent) error {
	if err := applyUserDefaults(e.App, e.Record); err != nil {
		return err
	}
	staff := adminChange(e.Record, false)
	return platform.InTx(e, func() error {
		if err := syncStaffIf(e.App, staff); err != nil {
			return err
		}
		return ensureProfile(e.App, e.Record)
	})
}

// updateUser keeps the profile, the tutor's copy of name and zone and the
// rules naming admins in step with the account, in its transaction.
func updateUser(e *core.RecordEvent) error {
	if e.Record.GetString("timezone") == "" || e.Record.GetString("locale") == "" {
		if err := applyUserDefaults(e.App, e.Record); err != nil {
			return err
		}
	}
	staff := adminChange(e.Record, false)
	return platform.InTx(e, func() error {
		if err := syncStaffIf(e.App, staff); err != nil {
			return err
		}
		if e.Record.Original().GetString("role") != e.Record.GetString("role") {
			if err := ensureProfile(e.App, e.Record); err != nil {
				return err
			}
		}
		return syncTutorProfile(e.App, e.Record)
	})
}

// syncStaffIf renders the rules naming admins again when who is an admin
// changes (in the transaction of that change).
func syncStaffIf(app core.App, changed bool) error {
	if !changed {
		return nil
	}
	return syncStaffRules(app)
}

// validateUser checks the zone, the notification preferences and a new
// password, on every write path.
func (s *Service) validateUser(e *core.RecordEvent) error {
	errs := validation.Errors{}
	if _, err := platform.Location(e.App, e.Record.GetString("timezone")); err != nil {
		errs["timezone"] = validation.NewError("invalid_timezone", "Unknown time zone; use an IANA name such as Europe/Rome.")
	}
	if err := s.validateNotify(e.App, e.Record.Get("notify")); err != nil {
		errs["notify"] = err
	}
	if err := checkNewPassword(e.App, e.Record); err != nil {
		errs["password"] = err
	}
	return platform.MergeErrors(e.Next(), errs)
}

// useAppURL makes PocketBase's {APP_URL} (in auth email links) the web app.
func useAppURL(app core.App, url string) {
	s := app.Settings()
	if s.Meta.AppURL == url {
		return
	}
	s.Meta.AppURL = url
	if err := app.Save(s); err != nil {
		app.Logger().Warn("failed to store TB_APP_URL as the app URL", "error", err)
	}
}

// checkNewPassword applies the password policy and the strength estimate
// to a password being set (whatever the path: sign-up, update, reset,
// dashboard, code), answering in the account's language, and prehashes one
// longer than bcrypt takes.
func checkNewPassword(app core.App, r *core.Record) error {
	pw := r.GetString("password") // the plain value, until the record is saved
	if pw == "" {
		return nil
	}
	mfa := r.GetString("role") == platform.RoleAdmin // admins always sign in with a second factor
	err := password.DefaultPolicy().Check(pw, r.Email(), mfa)
	if err == nil {
		err = password.CheckStrength(pw, passwordContext(app, r.GetString("name"), r.Email()))
	}
	var perr *password.Error
	if errors.As(err, &perr) {
		return validation.NewError("password_"+perr.Code, perr.Text(r.GetString("locale")))
	}
	if hashed := password.Prehash(pw); hashed != pw {
		r.SetPassword(hashed)
	}
	return nil
}

// applyUserDefaults fills what a sign-up may leave out.
func applyUserDefaults(app core.App, r *core.Record) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	if r.GetString("role") == "" {
		r.Set("role", platform.RoleStudent)
	}
	if r.GetString("timezone") == "" {
		r.Set("timezone", school.Timezone)
	}
	if r.GetString("locale") == "" {
		r.Set("locale", school.Locale)
	}
	if r.GetString("name") == "" { // one sent blank is refused (oneLineFields)
		if addr, err := mail.ParseAddress(r.Email()); err == nil {
			r.Set("name", strings.SplitN(addr.Address, "@", 2)[0])
		}
	}
	if r.GetString("calendar_token") == "" {
		r.Set("calendar_token", security.RandomString(32))
	}
	return nil
}

// ensureProfile creates the tutors or students record a user's role needs,
// if it does not exist yet. A new tutor starts unverified and pending.
func ensureProfile(app core.App, user *core.Record) error {
	var collection string
	switch user.GetString("role") {
	case platform.RoleTutor:
		collection = "tutors"
	case platform.RoleStudent:
		collection = "students"
	default:
		return nil
	}
	if _, err := app.FindFirstRecordByData(collection, "user", user.Id); err == nil {
		return nil
	}
	c, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return err
	}
	p := core.NewRecord(c)
	p.Set("user", user.Id)
	if collection == "tutors" {
		school, err := platform.LoadSchool(app)
		if err != nil {
			return err
		}
		p.Load(map[string]any{
			"name":               user.GetString("name"),
			"timezone":           user.GetString("timezone"),
			"verified":           false,
			"status":             "pending",
			"currency":           school.Currency,
			"lesson_minutes":     platform.DefaultLessonMinutes,
			"buffer_minutes":     0,
			"min_notice_minutes": 120,
			"max_advance_days":   90,
			"auto_confirm":       true,
		})
	}
	return app.Save(p)
}

// syncTutorProfile copies the user's name and zone onto the tutor profile,
// which the public directory shows without exposing the users record.
func syncTutorProfile(app core.App, user *core.Record) error {
	if user.GetString("role") != platform.RoleTutor {
		return nil
	}
	orig := user.Original()
	if orig.GetString("name") == user.GetString("name") && orig.GetString("timezone") == user.GetString("timezone") {
		return nil
	}
	t, err := app.FindFirstRecordByData("tutors", "user", user.Id)
	if err != nil {
		return nil
	}
	t.Set("name", user.GetString("name"))
	t.Set("timezone", user.GetString("timezone"))
	return app.Save(t)
}

// validateNotify checks users.notify: {"<event>": {"<channel>": bool}}.
func (s *Service) validateNotify(app core.App, raw any) error {
	var prefs map[string]map[string]bool
	if err := platform.DecodeJSON(raw, &prefs); err != nil {
		return validation.NewError("invalid_notify", `Notification preferences look like {"reminder": {"email": true, "sms": false}}.`)
	}
	for event, channels := range prefs {
		if !slices.Contains(notify.Kinds(), event) {
			return validation.NewError("unknown_event", "Unknown notification event \""+event+"\".")
		}
		for ch := range channels {
			if !slices.Contains(s.notes.Channels().Names(), ch) {
				return validation.NewError("unknown_channel", "Unknown notification channel \""+ch+"\".")
			}
		}
	}
	return nil
}
