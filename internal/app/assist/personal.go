package assist

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/assistant"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The personal intents read the caller's own records only: their lessons
// as student or tutor, their own purchases. Nobody else's data can be
// asked for: there is no parameter naming a person.

// zoneOf is the caller's time zone, or the school's.
func zoneOf(app core.App, user *core.Record) (*time.Location, error) {
	if loc, err := platform.Location(app, user.GetString("timezone")); err == nil {
		return loc, nil
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	return school.Location, nil
}

// lessonRow is a lesson as the next-lesson answers read it.
type lessonRow struct {
	ID          string         `db:"id"`
	Start       types.DateTime `db:"start"`
	End         types.DateTime `db:"end"`
	TutorName   string         `db:"tutor_name"`
	StudentName string         `db:"student_name"`
	Student     string         `db:"student"`
}

func (s *Service) nextLesson(app core.App, user *core.Record, lang string, out *AnswerJSON) error {
	if user.GetString("role") == platform.RoleGuardian {
		return s.familyNextLessons(app, user, lang, out)
	}
	var row lessonRow
	err := app.DB().NewQuery(`SELECT id, start, "end", tutor_name, student_name, student FROM bookings
		WHERE (student = {:u} OR tutor_user = {:u}) AND status IN ` + platform.ActiveStatusesSQL + ` AND start > {:now}
		ORDER BY start LIMIT 1`).Bind(dbx.Params{"u": user.Id, "now": platform.DBTime(s.env.Now())}).One(&row)
	title := map[bool]string{true: "Le tue lezioni", false: "Your lessons"}[lang == "it"]
	if errors.Is(err, sql.ErrNoRows) {
		out.Answer = assistant.NextLessonText(lang, nil)
		out.Sources = append(out.Sources, SourceJSON{Kind: "lessons", Title: title, Link: "/lessons"})
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to find the next lesson: %w", err)
	}
	loc, err := zoneOf(app, user)
	if err != nil {
		return err
	}
	with := row.TutorName
	if row.Student != user.Id { // the caller teaches it
		with = row.StudentName
	}
	out.Answer = assistant.NextLessonText(lang, &assistant.Lesson{With: with, When: notify.FormatSpan(row.Start.Time(), row.End.Time(), loc, lang)})
	out.Sources = append(out.Sources, SourceJSON{Kind: "lessons", ID: row.ID, Title: title, Link: "/lessons/" + row.ID})
	return nil
}

func (s *Service) credits(app core.App, user *core.Record, lang string, out *AnswerJSON) error {
	var rows []struct {
		Title   string         `db:"title"`
		Left    int            `db:"left"`
		Expires types.DateTime `db:"expires_at"`
	}
	err := app.DB().NewQuery(`SELECT COALESCE(k.title, '') AS title, CAST(p.credits_total - p.credits_used AS INTEGER) AS left, p.expires_at
		FROM purchases p LEFT JOIN packages k ON k.id = p.package
		WHERE p.student = {:u} AND p.status = 'paid' AND p.credits_total > p.credits_used AND (p.expires_at = '' OR p.expires_at > {:now})
		ORDER BY p.expires_at = '', p.expires_at, p.id`).Bind(dbx.Params{"u": user.Id, "now": platform.DBTime(s.env.Now())}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to count credits: %w", err)
	}
	loc, err := zoneOf(app, user)
	if err != nil {
		return err
	}
	ps := make([]assistant.Package, len(rows))
	for i, r := range rows {
		ps[i] = assistant.Package{Title: r.Title, Left: r.Left}
		if !r.Expires.IsZero() {
			ps[i].Until = notify.FormatDay(r.Expires.Time(), loc, lang)
		}
	}
	out.Answer = assistant.CreditsText(lang, ps)
	title := map[bool]string{true: "I tuoi crediti", false: "Your credits"}[lang == "it"]
	out.Sources = append(out.Sources, SourceJSON{Kind: "credits", Title: title, Link: "/credits"})
	return nil
}

// familyNextLessons answers a guardian: the next lesson of each of their
// students (accepted links only), each named; a guardian has no lessons
// of their own.
func (s *Service) familyNextLessons(app core.App, user *core.Record, lang string, out *AnswerJSON) error {
	kids, err := platform.StudentsOf(app, user.Id)
	if err != nil {
		return fmt.Errorf("failed to find the guardian's students: %w", err)
	}
	loc, err := zoneOf(app, user)
	if err != nil {
		return err
	}
	lessons := make([]assistant.ChildLesson, 0, len(kids))
	for _, kid := range kids {
		var name string
		if err := app.DB().Select("name").From("users").Where(dbx.HashExp{"id": kid}).Row(&name); err != nil {
			return fmt.Errorf("failed to read a student's name: %w", err)
		}
		var row lessonRow
		err := app.DB().NewQuery(`SELECT id, start, "end", tutor_name, student_name, student FROM bookings
			WHERE student = {:u} AND status IN ` + platform.ActiveStatusesSQL + ` AND start > {:now}
			ORDER BY start LIMIT 1`).Bind(dbx.Params{"u": kid, "now": platform.DBTime(s.env.Now())}).One(&row)
		child := assistant.ChildLesson{Child: name}
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("failed to find a student's next lesson: %w", err)
		default:
			child.Lesson = &assistant.Lesson{With: row.TutorName, When: notify.FormatSpan(row.Start.Time(), row.End.Time(), loc, lang)}
			title := map[bool]string{true: "Lezioni di " + name, false: name + "'s lessons"}[lang == "it"]
			out.Sources = append(out.Sources, SourceJSON{Kind: "lessons", ID: row.ID, Title: title, Link: "/lessons/" + row.ID})
		}
		lessons = append(lessons, child)
	}
	out.Answer = assistant.FamilyNextLessonsText(lang, lessons)
	if len(out.Sources) == 0 {
		title := map[bool]string{true: "Le lezioni della famiglia", false: "Your family's lessons"}[lang == "it"]
		out.Sources = append(out.Sources, SourceJSON{Kind: "lessons", Title: title, Link: "/lessons"})
	}
	return nil
}
