package migrations

import (
	"slices"

	"tutorbase/internal/suspicion"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The school's settings of messages: reply_to_email, the address replies
// to notification emails go to (empty: the sender address, a no-reply
// one), and flag_message_recipients, from how many people written to in
// ten minutes the message_fanout rule raises a flag (0: off), a rule the
// flags collection now knows.
func init() {
	m.Register(func(app core.App) error {
		flags, err := app.FindCollectionByNameOrId("flags")
		if err != nil {
			return err
		}
		if f, ok := flags.Fields.GetByName("rule").(*core.SelectField); ok && !slices.Contains(f.Values, suspicion.MessageFanout) {
			f.Values = append(f.Values, suspicion.MessageFanout)
		}
		if err := app.Save(flags); err != nil {
			return err
		}
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
		if err := app.Save(school); err != nil {
			return err
		}
		flags, err := app.FindCollectionByNameOrId("flags")
		if err != nil {
			return err
		}
		if f, ok := flags.Fields.GetByName("rule").(*core.SelectField); ok {
			f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return v == suspicion.MessageFanout })
		}
		return app.Save(flags)
	})
}
