package migrations

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// threads.readers: who reads a thread, said once on the thread (its
// participants and its student's accepted guardians), so that the rules
// of threads and messages ask one relation (RuleThreadsViewReaders,
// RuleMessagesViewReaders) instead of joining the guardians for every
// check: PocketBase checks a message against every subscribed client.
// The server keeps it as threads are made and links change; existing
// threads are filled here.
func init() {
	m.Register(func(app core.App) error {
		threads, err := app.FindCollectionByNameOrId("threads")
		if err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		threads.Fields.Add(&core.RelationField{Name: "readers", CollectionId: users.Id, MaxSelect: 100})
		if err := app.Save(threads); err != nil {
			return err
		}
		return fillReaders(app)
	}, func(app core.App) error {
		threads, err := app.FindCollectionByNameOrId("threads")
		if err != nil {
			return err
		}
		threads.Fields.RemoveByName("readers")
		return app.Save(threads)
	})
}

// fillReaders sets every thread's readers: its participants, then its
// student's accepted guardians.
func fillReaders(app core.App) error {
	var rows []struct {
		Id           string `db:"id"`
		Participants string `db:"participants"`
		Student      string `db:"student"`
	}
	if err := app.DB().Select("id", "participants", "student").From("threads").All(&rows); err != nil {
		return err
	}
	for _, r := range rows {
		var readers []string
		_ = json.Unmarshal([]byte(r.Participants), &readers) // empty when none
		var guardians []string
		err := app.DB().Select("guardian").From("guardians").
			Where(dbx.HashExp{"student": r.Student, "status": "accepted"}).AndWhere(dbx.NewExp("guardian != ''")).Column(&guardians)
		if err != nil {
			return err
		}
		for _, g := range guardians {
			if !slices.Contains(readers, g) {
				readers = append(readers, g)
			}
		}
		raw, _ := json.Marshal(readers)
		if _, err := app.DB().Update("threads", dbx.Params{"readers": string(raw)}, dbx.HashExp{"id": r.Id}).Execute(); err != nil {
			return err
		}
	}
	return nil
}
