package privacy

import (
	"fmt"
	"io"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Messages is the collection of the messages between people (built by the
// messages capability): each names its thread and its author; a thread
// names its participants.
const Messages = "messages"

// messages writes messages.json: every message the person wrote, and
// every message of a conversation they take part in.
func (x exporter) messages() error {
	w, err := x.zw.Create("messages.json")
	if err != nil {
		return err
	}
	where := dbx.NewExp("[[author]] = {:user} OR [[thread]] IN (SELECT [[id]] FROM [[threads]] WHERE [[participants]] LIKE {:inList})",
		dbx.Params{"user": x.user, "inList": `%"` + x.user + `"%`})
	if err := x.list(w, Messages, where); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// eraseMessages is the one place message bodies are erased: every text
// field (and every file) of the messages the person wrote is emptied; the
// messages stay, so the other side's thread keeps its shape.
func eraseMessages(tx core.App, user string) (int, error) {
	var mine []*core.Record
	if err := tx.RecordQuery(Messages).AndWhere(dbx.HashExp{"author": user}).All(&mine); err != nil {
		return 0, fmt.Errorf("failed to read the messages to erase: %w", err)
	}
	for _, m := range mine {
		for _, f := range m.Collection().Fields {
			switch f.(type) {
			case *core.TextField, *core.EditorField, *core.JSONField:
				if f.GetName() != "id" {
					m.Set(f.GetName(), nil)
				}
			case *core.FileField:
				m.Set(f.GetName(), nil)
			}
		}
		if err := tx.SaveNoValidate(m); err != nil {
			return 0, fmt.Errorf("failed to erase a message: %w", err)
		}
	}
	return len(mine), nil
}
