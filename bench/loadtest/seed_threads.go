package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// threadRef is a seeded conversation between a student and a tutor, by
// index into the fixture.
type threadRef struct {
	ID             string
	Student, Tutor int
}

// seedThreads writes -message-pairs direct threads with SQL, thread i
// between student i and tutor i mod -message-tutors (each tutor in many,
// each student in one), with the fields Tutorbase's thread route fills (kind,
// status, pair_key, student, people, readers) where the collection has them.
func seedThreads(app core.App, o options, fx *fixture) error {
	n, tutors := min(o.messagePairs, len(fx.Students)), min(max(o.messageTutors, 1), len(fx.Tutors))
	if n <= 0 || tutors == 0 {
		return nil
	}
	col, err := app.FindCollectionByNameOrId("threads")
	if err != nil {
		return fmt.Errorf("threads: %w", err)
	}
	full := col.Fields.GetByName("pair_key") != nil // Tutorbase's, not plainpb's
	created := time.Now().UTC().Format(types.DefaultDateLayout)
	return app.RunInTransaction(func(tx core.App) error {
		for i := range n {
			s, t := fx.Students[i], fx.Tutors[i%tutors]
			participants, _ := json.Marshal([]string{t.UserID, s.ID})
			row := dbx.Params{"id": fmt.Sprintf("benchthread%04d", i), "participants": string(participants),
				"student": s.ID, "created": created, "updated": created}
			if full {
				people, _ := json.Marshal([]map[string]string{{"id": t.UserID, "name": t.Name, "role": "tutor"}, {"id": s.ID, "name": s.Name, "role": "student"}})
				row["kind"], row["status"], row["people"] = "direct", "open", string(people)
				row["pair_key"] = "direct:" + t.UserID + ":" + s.ID
				row["readers"] = string(participants) // no guardians seeded
			}
			if _, err := tx.DB().Insert("threads", row).Execute(); err != nil {
				return fmt.Errorf("thread %d: %w", i, err)
			}
			fx.Threads = append(fx.Threads, threadRef{ID: row["id"].(string), Student: i, Tutor: i % tutors})
		}
		return nil
	})
}
