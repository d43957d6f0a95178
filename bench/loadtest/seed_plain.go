package main

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// seedPlain fills a data dir whose schema plainpb created (start it once
// first): the same number of users, tutors and bookings as Tutorbase's,
// users and tutors through app.Save, bookings with the same SQL as
// Tutorbase's (insertBookings), so rows have the same content and size.
func seedPlain(dir string, o options, bookings int) (*fixture, seedInfo, error) {
	return seedDataDir(dir, o, bookings, seedTarget{
		name: "plain",
		how:  "in-process app on the data dir (schema made by plainpb): users via app.Save; bookings via the same SQL INSERT, 5,000 per transaction",
		prepare: func(app core.App) error {
			if _, err := app.FindCollectionByNameOrId("bookings"); err != nil {
				return fmt.Errorf("no bookings collection: was plainpb started on %s? %w", dir, err)
			}
			return nil
		},
		people: seedPlainPeople,
	})
}

// seedPlainPeople writes the subjects, the students and the tutors, with
// only the fields plainpb's minimal collections have.
func seedPlainPeople(tx core.App, o options, fx *fixture) error {
	for _, name := range subjectNames {
		r, err := saveRecord(tx, "subjects", map[string]any{"name": name})
		if err != nil {
			return err
		}
		fx.Subjects = append(fx.Subjects, r.Id)
	}
	us, err := newUserSeeder(tx, func(name, _, _ string) map[string]any {
		return map[string]any{"name": name}
	})
	if err != nil {
		return err
	}
	if fx.Students, err = us.students(o.students); err != nil {
		return err
	}
	fx.Tutors, err = us.tutors(o.tutors, func(tx core.App, u *core.Record, name, _ string) (*core.Record, error) {
		return saveRecord(tx, "tutors", map[string]any{"name": name, "user": u.Id})
	})
	return err
}

// saveRecord saves a new record of a base collection of plainpb's schema.
func saveRecord(tx core.App, collection string, data map[string]any) (*core.Record, error) {
	c, err := tx.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Load(data)
	return r, tx.Save(r)
}
