// Package sequences is the school's follow-up messages: for each trigger
// (welcome after sign-up, the first lesson not booked after 3 days, no
// lesson for 30 days, a package running out, a review after the third
// lesson, a tutor's missing lesson report) one sequence whose words staff
// write per language and turn on. A job finds who is due and tells each
// person once through the notifications outbox (their channels,
// preferences and quiet hours), with a signed unsubscribe link; staff see
// how many were sent, opened and followed by a booking (docs/insight.md).
package sequences

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/lang"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
)

// The triggers, one sequence each (sequences.trigger).
const (
	Welcome       = "welcome"
	FirstLesson   = "first_lesson"
	WinBack       = "win_back"
	PackageLow    = "package_low"
	ReviewRequest = "review_request"
	ReportNudge   = "report_nudge"
)

// Timings of the triggers (docs/insight.md).
const (
	day = 24 * time.Hour
	// Window is how far back past the moment a trigger waits for someone
	// is still due: a school that turns a sequence on does not message
	// everyone who qualified years ago.
	Window = 7 * day
	// FirstLessonAfter: a student who signed up this long ago and has no
	// lesson is nudged to book one.
	FirstLessonAfter = 3 * day
	// WinBackAfter: a student whose last lesson started this long ago,
	// with none since or ahead, is invited back (for 30 days more).
	WinBackAfter = 30 * day
	// ExpiringWithin: a package expiring this soon, with credits left, is
	// running out (as is one with a single credit left).
	ExpiringWithin = 7 * day
	// ReviewWithin: the third completed lesson ended within this.
	ReviewWithin = 14 * day
	// ReportAfter: a completed lesson without a report this long after its
	// end makes its tutor nudged (within ReviewWithin of its end).
	ReportAfter = 2 * day
	// BookedWithin: a booking made this soon after a send counts as
	// booked after it.
	BookedWithin = 14 * day
)

// Limits of staff's words.
const (
	MaxTitle = 150
	MaxBody  = 4000
)

// Service runs the sequences.
type Service struct {
	env   platform.Env
	notes *notifications.Service
}

// New returns the sequences of a server that notifies through notes.
func New(env platform.Env, notes *notifications.Service) *Service {
	return &Service{env: env, notes: notes}
}

// Register binds the sequences' guards: staff change whether a sequence
// is on and its words, nothing else, and every language needs words.
func (s *Service) Register(app core.App) {
	platform.Guard(app, "sequences", platform.FieldGuard{Only: []string{"active", "texts"}})
	app.OnRecordUpdateRequest("sequences").BindFunc(func(e *core.RecordRequestEvent) error {
		if _, err := Texts(e.Record); err != nil {
			return err
		}
		return e.Next()
	})
}

// Texts reads and checks a sequence's words: a title (one line, up to
// MaxTitle characters) and a body (up to MaxBody) in every language.
func Texts(r *core.Record) (map[string]notify.Text, error) {
	var texts map[string]notify.Text
	raw, _ := json.Marshal(r.Get("texts"))
	if err := json.Unmarshal(raw, &texts); err == nil {
		ok := true
		for _, l := range lang.Supported {
			t := texts[l]
			title, body := strings.TrimSpace(t.Title), strings.TrimSpace(t.Body)
			if title == "" || body == "" || strings.ContainsAny(title, "\r\n") ||
				utf8.RuneCountInString(title) > MaxTitle || utf8.RuneCountInString(body) > MaxBody {
				ok = false
			}
		}
		if ok {
			return texts, nil
		}
	}
	return nil, platform.RuleError(http.StatusBadRequest, "texts", "bad_texts", "Write a title of one line and a text in every language.")
}
