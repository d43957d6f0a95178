package messages

import (
	"net/http"
	"strings"
	"unicode"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// onCreate sends a message: in one transaction the thread is read again
// (a closed thread refuses it), the author's messages of the last minute
// are counted (a flood is refused), the message is written, and the
// thread's last message and the author's read state move to it.
func (s *Service) onCreate(e *core.RecordEvent) error {
	m := e.Record
	m.Set("body", cleanBody(m.GetString("body")))
	if m.GetString("body") == "" && len(m.GetStringSlice("attachments")) == 0 {
		return apis.NewBadRequestError("Write a message or attach a file.", validation.Errors{
			"body": validation.NewError("validation_required", "Write a message or attach a file.")})
	}
	var thread *core.Record
	return inTx(e, func(tx core.App) error {
		var err error
		thread, err = tx.FindRecordById("threads", m.GetString("thread"))
		if err != nil {
			return err
		}
		if thread.GetString("status") != StatusOpen {
			return closedError()
		}
		var n int
		err = tx.DB().Select("count(*)").From("messages").
			AndWhere(dbx.HashExp{"author": m.GetString("author")}).
			AndWhere(dbx.NewExp("created >= {:since}", dbx.Params{"since": platform.DBTime(s.env.Now().Add(-floodWindow))})).Row(&n)
		if err != nil {
			return err
		}
		if n >= floodMax {
			return platform.RuleError(http.StatusTooManyRequests, "body", "too_many_messages", "You are sending too many messages: wait a minute and try again.")
		}
		author, err := platform.LoadPerson(tx, m.GetString("author"))
		if err != nil {
			return err
		}
		m.Set("author_name", author.Name)
		return nil
	}, func(tx core.App) error {
		// the thread read above, under the same write lock; only its
		// last message moves, so its relations need no validating again
		sent := m.GetDateTime("created")
		thread.Set("last_message_at", sent)
		if err := tx.SaveNoValidate(thread); err != nil {
			return err
		}
		return markRead(tx, thread.Id, m.GetString("author"), sent)
	})
}

// onlyBody keeps a client's edit of a message to its text.
func onlyBody(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := validation.Errors{}
	for f := range info.Body {
		if f != "body" {
			errs[f] = validation.NewError("read_only", "Only the text of a message can be edited.")
		}
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Only the text of a message can be edited.", errs)
	}
	if cleanBody(e.Record.GetString("body")) == "" {
		return apis.NewBadRequestError("Write a message or attach a file.", validation.Errors{
			"body": validation.NewError("validation_required", "Write a message or attach a file.")})
	}
	return e.Next()
}

// onUpdate is the compare-and-set of every change of a message: inside
// the transaction the stored message is read again, and a message
// deleted meanwhile, or one of a closed thread, refuses the change. An
// edit of the text is stamped. Other changes pass.
func (s *Service) onUpdate(e *core.RecordEvent) error {
	m := e.Record
	orig := m.Original()
	if m.GetString("body") == orig.GetString("body") && m.GetBool("deleted") == orig.GetBool("deleted") {
		return e.Next() // not an edit (an erased author leaving, the dashboard)
	}
	if m.GetString("body") == "" && !m.GetBool("deleted") {
		return e.Next() // an erasure (internal/app/privacy): clients cannot empty a message (onlyBody)
	}
	return inTx(e, func(tx core.App) error {
		stored, err := tx.FindRecordById("messages", m.Id)
		if err != nil {
			return err
		}
		if stored.GetBool("deleted") {
			return platform.RuleError(http.StatusConflict, "status", platform.CodeBadState, "This message was deleted.")
		}
		thread, err := tx.FindRecordById("threads", m.GetString("thread"))
		if err != nil {
			return err
		}
		if thread.GetString("status") != StatusOpen {
			return closedError()
		}
		if m.GetBool("deleted") {
			return nil
		}
		m.Set("body", cleanBody(m.GetString("body")))
		if m.GetString("body") == "" && len(m.GetStringSlice("attachments")) == 0 {
			return apis.NewBadRequestError("Write a message or attach a file.", validation.Errors{
				"body": validation.NewError("validation_required", "Write a message or attach a file.")})
		}
		if m.GetString("body") != stored.GetString("body") {
			m.Set("edited", s.env.Now().UTC())
		}
		return nil
	}, nil)
}

// Delete answers POST /api/messages/{id}/delete: its author deletes a
// message for everyone (its text and files go; the message stays, marked
// deleted, so the thread keeps its shape). Done once: a second delete,
// even at the same moment, is refused: the stored message is read again
// inside the transaction.
func (s *Service) Delete(e *core.RequestEvent) error {
	m, err := e.App.FindRecordById("messages", e.Request.PathValue("id"))
	if err != nil || m.GetString("author") != e.Auth.Id {
		return e.NotFoundError("", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("messages", m.Id)
		if err != nil {
			return err
		}
		if fresh.GetBool("deleted") {
			return platform.RuleError(http.StatusConflict, "status", platform.CodeBadState, "This message was deleted.")
		}
		fresh.Set("deleted", true)
		fresh.Set("body", "")
		fresh.Set("attachments", []string{})
		m = fresh
		return tx.Save(fresh)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, m)
}

func closedError() error {
	return platform.RuleError(http.StatusConflict, "thread", "thread_closed", "This conversation is closed.")
}

// cleanBody is a message's text as stored: plain text with its line
// breaks (CRLF made LF), no other control or invisible characters, no
// blank lines at its ends, at most two blank lines in a row.
func cleanBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	for strings.Contains(s, "\n\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n\n", "\n\n\n")
	}
	return strings.TrimSpace(s)
}

// inTx runs before, the rest of a model event's chain (validation and the
// write) and after in one transaction (the caller's, when there is one),
// with e.App the transaction while it runs.
func inTx(e *core.RecordEvent, before, after func(tx core.App) error) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := before(tx); err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		if after != nil {
			return after(tx)
		}
		return nil
	})
}
