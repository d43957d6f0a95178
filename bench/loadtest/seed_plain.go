package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// seedPlain fills a data dir whose schema plainpb created (start it once
// first): the same number of users, tutors and bookings as Tutorbase's,
// users and tutors through app.Save, bookings with the same SQL as
// Tutorbase's (insertBookings), so rows have the same content and size.
func seedPlain(dir string, o options, bookings int) (*fixture, seedInfo, error) {
	began := time.Now()
	info := seedInfo{Target: "plain", Bookings: bookings, Tutors: o.tutors, Students: o.students,
		How: "in-process app on the data dir (schema made by plainpb): users via app.Save; bookings via the same SQL INSERT, 5,000 per transaction"}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, info, err
	}
	defer app.ResetBootstrapState()
	if _, err := app.FindCollectionByNameOrId("bookings"); err != nil {
		return nil, info, fmt.Errorf("no bookings collection: was plainpb started on %s? %w", dir, err)
	}
	rng := rand.New(rand.NewPCG(o.seed, uint64(bookings)))
	fx := &fixture{Now: time.Now().UTC()}
	pw := &passwordHasher{}

	err := app.RunInTransaction(func(tx core.App) error {
		save := func(collection string, data map[string]any) (*core.Record, error) {
			c, err := tx.FindCachedCollectionByNameOrId(collection)
			if err != nil {
				return nil, err
			}
			r := core.NewRecord(c)
			if c.IsAuth() {
				r.SetEmail(data["email"].(string))
				r.SetVerified(true)
				pw.set(r)
				delete(data, "email")
			}
			r.Load(data)
			return r, tx.Save(r)
		}
		for _, name := range subjectNames {
			r, err := save("subjects", map[string]any{"name": name})
			if err != nil {
				return err
			}
			fx.Subjects = append(fx.Subjects, r.Id)
		}
		for i := range o.students {
			name := fmt.Sprintf("Student %05d", i)
			u, err := save("users", map[string]any{"email": fmt.Sprintf("student%05d@bench.localhost", i), "name": name})
			if err != nil {
				return err
			}
			tok, err := u.NewStaticAuthToken(tokenLife)
			if err != nil {
				return err
			}
			fx.Students = append(fx.Students, person{ID: u.Id, Name: name, Token: tok})
		}
		for i := range o.tutors {
			name := fmt.Sprintf("Tutor %04d", i)
			u, err := save("users", map[string]any{"email": fmt.Sprintf("tutor%04d@bench.localhost", i), "name": name})
			if err != nil {
				return err
			}
			t, err := save("tutors", map[string]any{"name": name, "user": u.Id})
			if err != nil {
				return err
			}
			tok, err := u.NewStaticAuthToken(tokenLife)
			if err != nil {
				return err
			}
			zone := tutorZones[i%len(tutorZones)]
			loc, err := time.LoadLocation(zone)
			if err != nil {
				return err
			}
			fx.Tutors = append(fx.Tutors, tutorRef{ID: t.Id, UserID: u.Id, Name: name, Zone: zone, Token: tok, loc: loc})
		}
		return nil
	})
	if err != nil {
		return nil, info, err
	}

	plan := planBookings(bookings, len(fx.Tutors), len(fx.Students), fx.Now, rng)
	if err := insertBookings(app, plan, fx, rng); err != nil {
		return nil, info, err
	}
	fx.noteListers(plan)
	info.Took = time.Since(began)
	return fx, info, nil
}
