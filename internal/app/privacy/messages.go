package privacy

import (
	"fmt"
	"io"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Messages is the collection of the messages between people (built by the
// messages capability). Until it exists, an export's messages.json is an
// empty list and an erasure has no message to erase.
const Messages = "messages"

// messageAuthors are the fields naming a message's writer, the first the
// collection has wins; the other relations to users name who read it.
var messageAuthors = []string{"sender", "author", "from", "user"}

// messageFields are the messages collection's relations to users (who a
// message is from and to) and the field among them naming its writer;
// ok is false when there is no messages collection.
func messageFields(app core.App) (people []string, author string, c *core.Collection, ok bool) {
	c, err := app.FindCachedCollectionByNameOrId(Messages)
	if err != nil {
		return nil, "", nil, false
	}
	users, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, "", nil, false
	}
	for _, f := range c.Fields {
		if r, isRel := f.(*core.RelationField); isRel && r.CollectionId == users.Id {
			people = append(people, r.Name)
		}
	}
	for _, a := range messageAuthors {
		for _, p := range people {
			if p == a && author == "" {
				author = a
			}
		}
	}
	return people, author, c, len(people) > 0
}

// messages writes messages.json: every message from or to the person (in
// a conversation they take part in), or an empty list.
func (x exporter) messages() error {
	people, _, _, ok := messageFields(x.app)
	if !ok {
		return x.text("messages.json", "[]\n")
	}
	w, err := x.zw.Create("messages.json")
	if err != nil {
		return err
	}
	where := involving(people, x.user)
	if _, err := x.app.FindCachedCollectionByNameOrId("threads"); err == nil { // the messages of the person's conversations
		where = dbx.Or(where, dbx.NewExp("[[thread]] IN (SELECT [[id]] FROM [[threads]] WHERE [[participants]] LIKE {:inList})",
			dbx.Params{"inList": `%"` + x.user + `"%`}))
	}
	if err := x.list(w, Messages, where); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// involving matches the records whose relation fields (single or
// multiple) name user.
func involving(fields []string, user string) dbx.Expression {
	var or []string
	for _, f := range fields {
		or = append(or, fmt.Sprintf("[[%s]] = {:user} OR [[%s]] LIKE {:inList}", f, f))
	}
	return dbx.NewExp(strings.Join(or, " OR "), dbx.Params{"user": user, "inList": `%"` + user + `"%`})
}

// eraseMessages is the one place message bodies are erased: every text
// field (and every file) of the messages the person wrote is emptied; the
// messages stay, so the other side's thread keeps its shape.
func eraseMessages(tx core.App, user string) (int, error) {
	_, author, c, ok := messageFields(tx)
	if !ok || author == "" {
		return 0, nil
	}
	var mine []*core.Record
	err := tx.RecordQuery(Messages).AndWhere(involving([]string{author}, user)).All(&mine)
	if err != nil {
		return 0, fmt.Errorf("failed to read the messages to erase: %w", err)
	}
	for _, m := range mine {
		for _, f := range c.Fields {
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
