package migrations

import (
	"tutorbase/internal/suspicion"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The school's settings of messages: reply_to_email, the address replies
// to notification emails go to (empty: the sender address, a no-reply
// one), and flag_message_recipients, from how many people written to in
// ten minutes the message_fanout rule raises a flag (0: off).
func init() {
	m.Register(func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(
			&core.EmailField{Name: "reply_to_email"},
			integer("flag_message_recipients", 0, 10000, false),
		)
		if err := app.Save(school); err != nil {
			return err
		}
		r, err := app.FindRecordById(school, SchoolId)
		if err != nil {
			return err
		}
		r.Set("flag_message_recipients", suspicion.Defaults().MessageRecipients)
		return app.Save(r)
	}, func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.RemoveByName("reply_to_email")
		school.Fields.RemoveByName("flag_message_recipients")
		return app.Save(school)
	})
}
