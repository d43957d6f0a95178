// Package messages is the conversations of the school: threads between a
// tutor and a student (the student's guardians take part), between staff
// and anyone, and one per lesson; their messages (plain text, protected
// attachments, edited and deleted for all by their author); each person's
// read state and unread counts; reports to staff and closing by staff.
//
// Who reads a thread is said once in the API rules (migrations.RuleThreadsView
// and RuleMessagesView), which PocketBase's realtime applies too: only the
// people who take part hear of a message. Go asks the same question with
// TakesPart.
package messages

import (
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service is the messages capability.
type Service struct {
	env   platform.Env
	notes *notifications.Service
}

// New builds the service.
func New(env platform.Env, notes *notifications.Service) *Service {
	return &Service{env: env, notes: notes}
}

// Register binds the messages' model and request hooks.
func (s *Service) Register(app core.App) {
	platform.Guard(app, "messages", platform.FieldGuard{
		Server:    []string{"author_name", "edited", "deleted"},
		Immutable: []string{"thread", "author"},
	})
	platform.OneLine(app, "threads", "subject", "report_reason")
	app.OnRecordUpdateRequest("messages").BindFunc(onlyBody)
	app.OnRecordCreate("threads").BindFunc(keepReaders)
	app.OnRecordUpdate("threads").BindFunc(keepReaders)
	app.OnRecordCreate("messages").BindFunc(s.onCreate)
	app.OnRecordUpdate("messages").BindFunc(s.onUpdate)
	registerLive(app)
}

// Thread statuses and kinds.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
	KindDirect   = "direct"
	KindLesson   = "lesson"
)

// Flood bounds: the messages one author may send in floodWindow, whatever
// their address (PocketBase's limiter counts per IP).
const (
	floodMax    = 20
	floodWindow = time.Minute
)
