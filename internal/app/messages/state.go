package messages

import (
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// markRead moves user's read state of thread to at, never back, in tx.
func markRead(tx core.App, thread, user string, at types.DateTime) error {
	r := &core.Record{}
	err := tx.RecordQuery("thread_reads").AndWhere(dbx.HashExp{"thread": thread, "user": user}).Limit(1).One(r)
	if err != nil {
		col, err := tx.FindCachedCollectionByNameOrId("thread_reads")
		if err != nil {
			return err
		}
		r = core.NewRecord(col)
		r.Set("thread", thread)
		r.Set("user", user)
		r.Set("last_read", at)
		return tx.Save(r)
	}
	if !r.GetDateTime("last_read").Before(at) {
		return nil
	}
	r.Set("last_read", at)
	return tx.SaveNoValidate(r) // only last_read moves
}

// threadFor is the thread of the request's path that the caller takes
// part in (staff: any thread); anyone else is told it does not exist.
func threadFor(e *core.RequestEvent) (*core.Record, error) {
	thread, err := e.App.FindRecordById("threads", e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("", nil)
	}
	if platform.IsStaff(e) {
		return thread, nil
	}
	ok, err := TakesPart(e.App, thread, e.Auth.Id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, e.NotFoundError("", nil)
	}
	return thread, nil
}

// Read answers POST /api/threads/{id}/read: the caller has read the
// thread up to now.
func (s *Service) Read(e *core.RequestEvent) error {
	thread, err := threadFor(e)
	if err != nil {
		return err
	}
	now, _ := types.ParseDateTime(s.env.Now())
	err = e.App.RunInTransaction(func(tx core.App) error {
		return markRead(tx, thread.Id, e.Auth.Id, now)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"thread": thread.Id, "last_read": now})
}

// unreadQuery counts, per thread the person reads, the messages of others
// (not deleted) after their read state.
const unreadQuery = `SELECT t.id AS thread, COUNT(m.id) AS n FROM threads t
JOIN messages m ON m.thread = t.id AND m.author != {:me} AND m.deleted = 0
LEFT JOIN thread_reads r ON r.thread = t.id AND r.user = {:me}
WHERE (EXISTS (SELECT 1 FROM json_each(t.participants) p WHERE p.value = {:me})
   OR t.student IN (SELECT g.student FROM guardians g WHERE g.guardian = {:me} AND g.status = 'accepted'))
  AND m.created > COALESCE(r.last_read, '')
GROUP BY t.id`

// Unread answers GET /api/threads/unread: the caller's unread messages,
// in all and by thread (the web app's header and thread list).
func (s *Service) Unread(e *core.RequestEvent) error {
	var rows []struct {
		Thread string `db:"thread"`
		N      int    `db:"n"`
	}
	if err := e.App.DB().NewQuery(unreadQuery).Bind(dbx.Params{"me": e.Auth.Id}).All(&rows); err != nil {
		return err
	}
	total, by := 0, map[string]int{}
	for _, r := range rows {
		total += r.N
		by[r.Thread] = r.N
	}
	return e.JSON(http.StatusOK, map[string]any{"total": total, "threads": by})
}

type reportBody struct {
	Reason string `json:"reason"`
}

// Report answers POST /api/threads/{id}/report {reason}: someone who takes
// part sends the thread to staff, who then read it. Once: a thread
// reported already says so.
func (s *Service) Report(e *core.RequestEvent) error {
	thread, err := threadFor(e)
	if err != nil {
		return err
	}
	var in reportBody
	_ = e.BindBody(&in)
	reason := oneline.Truncate(oneline.Clean(in.Reason), 500)
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("threads", thread.Id)
		if err != nil {
			return err
		}
		if fresh.GetBool("reported") {
			return platform.RuleError(http.StatusConflict, "status", platform.CodeBadState, "This conversation was reported already.")
		}
		fresh.Set("reported", true)
		fresh.Set("reported_by", e.Auth.Id)
		fresh.Set("reported_at", s.env.Now().UTC())
		fresh.Set("report_reason", reason)
		thread = fresh
		return tx.Save(fresh)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "thread.report", "threads", thread.Id, map[string]any{"reason": reason})
	s.tellStaff(e.App, thread)
	return e.JSON(http.StatusOK, thread)
}

// Close answers POST /api/threads/{id}/close (staff): the thread takes no
// more messages. Once: a closed thread says so.
func (s *Service) Close(e *core.RequestEvent) error {
	thread, err := e.App.FindRecordById("threads", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("threads", thread.Id)
		if err != nil {
			return err
		}
		if fresh.GetString("status") != StatusOpen {
			return platform.RuleError(http.StatusConflict, "status", platform.CodeBadState, "This conversation is closed already.")
		}
		fresh.Set("status", StatusClosed)
		fresh.Set("closed_by", platform.ActorID(e))
		fresh.Set("closed_at", s.env.Now().UTC())
		thread = fresh
		return tx.Save(fresh)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "thread.close", "threads", thread.Id, nil)
	return e.JSON(http.StatusOK, thread)
}
