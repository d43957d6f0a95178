// Package hookstest builds Tutorbase test apps: a fresh data dir with the
// project's migrations applied and the same hooks.Register as main, plus a
// standard cast of users (one per role) with auth tokens.
//
// Building the cast costs a few bcrypt hashes and a migration run, so a test
// binary builds it once (in TestMain) and every scenario clones its data dir.
package hookstest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/ops"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	_ "tutorbase/migrations" // the schema

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"
)

// Password is every cast member's password; it passes the password policy.
const Password = "lessons-in-the-afternoon-9"

// Roles of the standard cast. Visitor has no account.
const (
	Visitor      = "visitor"
	Student      = "student"
	Student2     = "student2"
	Tutor        = "tutor"
	Tutor2       = "tutor2"
	TutorPending = "tutor_pending"
	Admin        = "admin"
	Superuser    = "superuser"
)

// Roles lists the cast in the order the role × action tables use.
var Roles = []string{Visitor, Student, Student2, Tutor, Tutor2, Admin, Superuser}

// AppSecret is the authenticator app's secret of every admin CreateUser
// makes: staff must have one set up before anything else.
const AppSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// Config is the configuration tests run with.
var Config = config.Config{AppURL: "http://127.0.0.1:8090"}

// Cast is a built fixture: a data dir to clone and who is in it.
type Cast struct {
	Dir    string
	Tokens map[string]string // role -> auth token ("" for Visitor)
	Users  map[string]string // role -> users (or _superusers) record id
	Emails map[string]string // role -> email
	Tutors map[string]string // tutor role -> tutors record id
	IDs    map[string]string // named records created by the extra setup
	Now    func() time.Time  // the clock of the cast's apps (and of its fixture)
}

// newTestApp is tests.NewTestApp on the server's own SQLite connection
// (ops.DBConnect: statements kept prepared, the WAL trimmed back), so the
// scenarios run on what the server runs on.
func newTestApp(dir string) (*tests.TestApp, error) {
	return tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env", DBConnect: ops.DBConnect})
}

// NewApp returns a fresh test app on an empty data dir with the migrations
// applied and Tutorbase's hooks registered. The caller cleans it up.
func NewApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := newTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := register(app, Env(Config)); err != nil {
		t.Fatal(err)
	}
	checkOnCleanup(t, app)
	return app
}

// Clone returns a test app on a copy of the cast's data dir, with hooks
// registered.
func (c *Cast) Clone(t testing.TB) *tests.TestApp {
	t.Helper()
	return c.CloneWith(t, Config)
}

// CloneWith is Clone with another configuration.
func (c *Cast) CloneWith(t testing.TB, cfg config.Config) *tests.TestApp {
	t.Helper()
	app, err := newTestApp(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := register(app, c.Env(cfg)); err != nil {
		t.Fatal(err)
	}
	checkOnCleanup(t, app)
	return app
}

// Env is the environment the cast's apps run with: cfg and the cast's
// clock.
func (c *Cast) Env(cfg config.Config) platform.Env { return platform.Env{Config: cfg, Now: c.Now} }

// Env is the environment tests run with: cfg and the system clock.
func Env(cfg config.Config) platform.Env { return platform.NewEnv(cfg) }

const servicesKey = "hookstest.services"

// register binds Tutorbase to app exactly as main does, keeping the
// services for ServicesOf.
func register(app core.App, env platform.Env) error {
	s, err := hooks.Register(app, env)
	if err != nil {
		return err
	}
	app.Store().Set(servicesKey, s)
	return nil
}

// ServicesOf returns the capabilities wired on a test app (jobs and
// commands take them).
func ServicesOf(app core.App) *hooks.Services {
	s, _ := app.Store().Get(servicesKey).(*hooks.Services)
	return s
}

// Factory adapts Clone to tests.ApiScenario.TestAppFactory.
func (c *Cast) Factory(t testing.TB) *tests.TestApp { return c.Clone(t) }

// Auth returns the Authorization header of a role (none for Visitor).
func (c *Cast) Auth(role string) map[string]string {
	if tok := c.Tokens[role]; tok != "" {
		return map[string]string{"Authorization": tok}
	}
	return nil
}

// Build creates the cast in a fresh app, runs extra (which may add records
// to c.IDs), and closes the app so its data dir can be cloned. Call Close
// when the test binary is done.
func Build(extra func(app core.App, c *Cast) error) (*Cast, error) { return BuildAt(time.Now, extra) }

// BuildAt is Build with the clock now: the cast's apps, and extra, see
// that time (tests run the same scenarios years ahead with it).
func BuildAt(now func() time.Time, extra func(app core.App, c *Cast) error) (*Cast, error) {
	root, err := os.MkdirTemp("", "tutorbase_cast_*")
	if err != nil {
		return nil, err
	}
	app, err := newTestApp(root)
	if err != nil {
		return nil, err
	}
	os.RemoveAll(root) // the app works on its own clone
	c := &Cast{
		Dir: app.DataDir(), Tokens: map[string]string{}, Users: map[string]string{},
		Emails: map[string]string{}, Tutors: map[string]string{}, IDs: map[string]string{}, Now: now,
	}
	if err := register(app, c.Env(Config)); err != nil {
		return nil, err
	}
	if err := cheapPasswords(app); err != nil {
		return nil, err
	}
	if err := c.populate(app); err != nil {
		return nil, err
	}
	if extra != nil {
		if err := extra(app, c); err != nil {
			return nil, fmt.Errorf("extra setup: %w", err)
		}
	}
	app.ResetBootstrapState()
	return c, nil
}

// cheapPasswords makes the cast's password hashes (users and superusers)
// bcrypt's cheapest: a sign-in checks a password in about a millisecond
// instead of 65, which adds up over the hundreds the tests do. Nothing else
// changes: the same fields, rules and hooks.
func cheapPasswords(app core.App) error {
	for _, name := range []string{"users", core.CollectionNameSuperusers} {
		col, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		pw, ok := col.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField)
		if !ok {
			return fmt.Errorf("%s has no password field", name)
		}
		pw.Cost = bcrypt.MinCost
		if err := app.Save(col); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the cast's data dir.
func (c *Cast) Close() { os.RemoveAll(c.Dir) }

func (c *Cast) populate(app core.App) error {
	users := []struct{ role, name, userRole string }{
		{Student, "Stella Student", platform.RoleStudent},
		{Student2, "Otto Other", platform.RoleStudent},
		{Tutor, "Tina Tutor", platform.RoleTutor},
		{Tutor2, "Theo Tutor", platform.RoleTutor},
		{TutorPending, "Paula Pending", platform.RoleTutor},
		{Admin, "Ada Admin", platform.RoleAdmin},
	}
	for _, u := range users {
		r, err := CreateUser(app, u.role+"@test.localhost", u.name, u.userRole)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.role, err)
		}
		if err := c.add(u.role, r); err != nil {
			return err
		}
		if u.userRole == platform.RoleTutor {
			t, err := app.FindFirstRecordByData("tutors", "user", r.Id)
			if err != nil {
				return err
			}
			c.Tutors[u.role] = t.Id
			if u.role != TutorPending {
				t.Set("verified", true)
				t.Set("hourly_rate", 4000)
				if err := app.Save(t); err != nil {
					return err
				}
			}
		}
	}
	su, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	s := core.NewRecord(su)
	s.SetEmail("superuser@test.localhost")
	s.SetPassword(Password)
	if err := app.Save(s); err != nil {
		return err
	}
	return c.add(Superuser, s)
}

func (c *Cast) add(role string, r *core.Record) error {
	tok, err := r.NewStaticAuthToken(0)
	if err != nil {
		return err
	}
	c.Tokens[role], c.Users[role], c.Emails[role] = tok, r.Id, r.Email()
	return nil
}

// CreateUser saves a verified user with the cast password through the
// model hooks (so profiles are created as on sign-up).
func CreateUser(app core.App, email, name, role string) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.SetEmail(email)
	r.SetPassword(Password)
	r.SetVerified(true)
	r.Set("name", name)
	r.Set("role", role)
	if role == platform.RoleAdmin { // staff must have an authenticator app (signin.RequireApp)
		r.Set("totp_enabled", true)
		r.Set("totp_secret", AppSecret)
	}
	return r, app.Save(r)
}
