package cmd

import (
	"errors"
	"fmt"
	"io"
	"time"

	"tutorbase/hooks"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Demo accounts. The passwords follow the password policy (15+ characters,
// not common) and are printed by `seed --demo`: a demo school is for
// looking around, never for real data.
const (
	DemoPassword = "demo-lessons-2027"
	// DemoAppKey is the demo admin's authenticator app key (staff must
	// have one): add it to an app by hand, or use an emailed code.
	DemoAppKey            = "TUTORBASEDEMOSTAFFAPPKEY234567AB"
	DemoSuperuserEmail    = "owner@demo.tutorbase.localhost"
	DemoSuperuserPassword = "demo-owner-password-2027"
	demoDomain            = "@demo.tutorbase.localhost"
)

func seedCommand(app *pocketbase.PocketBase, s *hooks.Services) *cobra.Command {
	var demo bool
	c := &cobra.Command{
		Use:          "seed",
		Short:        "Fill the database with data (--demo: a realistic demo school)",
		SilenceUsage: true,
		RunE: func(c *cobra.Command, args []string) error {
			if !demo {
				return errors.New("nothing to seed: pass --demo for the demo school")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			if err := SeedDemo(s, app, s.Env.Now()); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "\nDemo school ready in %s.\n", app.DataDir())
			printDemoAccounts(c.OutOrStdout(), "")
			return nil
		},
	}
	c.Flags().BoolVar(&demo, "demo", false, "seed the demo school (idempotent: running it again changes nothing)")
	return c
}

// printDemoAccounts lists the demo accounts; baseURL, when known, is
// where the server listens (serve prints it; seed does not know it).
func printDemoAccounts(out io.Writer, baseURL string) {
	if baseURL != "" {
		fmt.Fprintf(out, "\nDemo school: open %s and sign in with any of these (password %q):\n", baseURL, DemoPassword)
	} else {
		fmt.Fprintf(out, "Demo accounts (password %q; `tutorbase serve` prints where to sign in):\n", DemoPassword)
	}
	for _, t := range demoTutors {
		fmt.Fprintf(out, "  tutor    %-42s %s (%s)\n", t.email+demoDomain, t.name, t.zone)
	}
	for _, s := range demoStudents {
		fmt.Fprintf(out, "  student  %-42s %s\n", s.email+demoDomain, s.name)
	}
	fmt.Fprintf(out, "  admin    %-42s (then a code from an authenticator app with the key %s,\n", "admin"+demoDomain, DemoAppKey)
	fmt.Fprintf(out, "           %-42s  or an emailed code: without SMTP it is printed in this terminal)\n", "")
	dashboard := "/_/"
	if baseURL != "" {
		dashboard = baseURL + "/_/"
	}
	fmt.Fprintf(out, "Dashboard %s : superuser %s, password %q\n\n", dashboard, DemoSuperuserEmail, DemoSuperuserPassword)
}

// SeedDemo fills a demo school: subjects, four verified tutors in three time
// zones with weekly availability, six students, an admin, packages, paid
// purchases and lessons last week and next week. Every entity is found by a
// natural key before it is created, so a second run changes nothing.
func SeedDemo(s *hooks.Services, app core.App, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		if err := seedSuperuser(tx); err != nil {
			return err
		}
		school, err := tx.FindRecordById("school", migrations.SchoolId)
		if err != nil {
			return err
		}
		if school.GetString("name") == "Tutorbase School" {
			school.Set("name", "Scuola Demo Tutorbase")
			school.Set("email", "info"+demoDomain)
			school.Set("address", "Via Roma 1, 00100 Roma")
			if err := tx.Save(school); err != nil {
				return err
			}
		}
		subjects := map[string]string{}
		for _, s := range demoSubjects {
			r, err := upsert(tx, "subjects", dbx.HashExp{"slug": s.slug}, map[string]any{"name": s.name, "slug": s.slug, "names": map[string]string{"it": s.italian}})
			if err != nil {
				return err
			}
			subjects[s.slug] = r.Id
		}
		admin, err := demoUser(tx, "admin", "Anna Admin", "admin", "Europe/Rome", "it")
		if err != nil {
			return err
		}
		if !admin.GetBool("totp_enabled") { // staff must have an authenticator app
			admin.Set("totp_enabled", true)
			admin.Set("totp_secret", DemoAppKey)
			if err := tx.Save(admin); err != nil {
				return err
			}
		}
		var students []*core.Record
		for _, s := range demoStudents {
			u, err := demoUser(tx, s.email, s.name, "student", s.zone, s.locale)
			if err != nil {
				return err
			}
			students = append(students, u)
		}
		for i, t := range demoTutors {
			if err := seedTutor(tx, t, subjects, students, i, now); err != nil {
				return fmt.Errorf("tutor %s: %w", t.email, err)
			}
		}
		return seedPurchases(s, tx, now)
	})
}

func seedSuperuser(app core.App) error {
	if _, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, DemoSuperuserEmail); err == nil {
		return nil
	}
	c, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	su := core.NewRecord(c)
	su.SetEmail(DemoSuperuserEmail)
	su.SetPassword(DemoSuperuserPassword)
	return app.Save(su)
}

func demoUser(app core.App, local, name, role, zone, locale string) (*core.Record, error) {
	email := local + demoDomain
	if u, err := app.FindAuthRecordByEmail("users", email); err == nil {
		return u, nil
	}
	c, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, err
	}
	u := core.NewRecord(c)
	u.SetEmail(email)
	u.SetPassword(DemoPassword)
	u.SetVerified(true)
	u.Load(map[string]any{"name": name, "role": role, "timezone": zone, "locale": locale})
	return u, app.Save(u)
}

// upsert finds the first record matching where or creates it with data.
func upsert(app core.App, collection string, where dbx.Expression, data map[string]any) (*core.Record, error) {
	r := &core.Record{}
	c, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	if err := app.RecordQuery(c).AndWhere(where).Limit(1).One(r); err == nil {
		return r, nil
	}
	r = core.NewRecord(c)
	r.Load(data)
	return r, app.Save(r)
}
