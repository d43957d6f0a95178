package privacy

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// needle is a piece of a person's identity (name, email, phone) and what
// replaces it wherever text still mentions it.
type needle struct{ find, replace string }

// minNameRunes: shorter names are not searched for in free text, where
// they would match inside other words.
const minNameRunes = 4

// kept are the collections the law keeps as they are: invoices with their
// original billing data (readable by staff only once the account is
// erased: their owner can no longer sign in).
var kept = []string{"invoices"}

// ownNames are the columns holding one person's name by record, set by
// id (eraseData); a search of the name there would rename a namesake.
var ownNames = map[string][]string{
	"users": {"name"}, "tutors": {"name"}, "students": {"guardian_name"},
	"bookings": {"student_name", "tutor_name"}, "reviews": {"student_name"},
	"materials": {"owner_name"}, "material_downloads": {"user_name"},
}

// identifiers are what identifies u, read before the account is
// anonymised.
func identifiers(tx core.App, u *core.Record) []needle {
	var out []needle
	if email := u.Email(); email != "" { // a child's account may have none
		placeholder := "deleted-" + u.Id + "@" + ErasedDomain
		out = append(out, needle{email, placeholder}, needle{strings.ToLower(email), placeholder})
	}
	names := []string{u.GetString("name")}
	if s, err := tx.FindFirstRecordByData("students", "user", u.Id); err == nil {
		names = append(names, s.GetString("guardian_name"))
		if g := s.GetString("guardian_email"); g != "" {
			out = append(out, needle{g, "guardian@" + ErasedDomain}, needle{strings.ToLower(g), "guardian@" + ErasedDomain})
		}
	}
	if t, err := tx.FindFirstRecordByData("tutors", "user", u.Id); err == nil {
		names = append(names, t.GetString("name"))
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); utf8.RuneCountInString(n) >= minNameRunes && n != DeletedName {
			out = append(out, needle{n, DeletedName})
		}
	}
	if p := u.GetString("phone"); p != "" {
		out = append(out, needle{p, ""})
	}
	return slices.CompactFunc(out, func(a, b needle) bool { return a.find == b.find })
}

// eraseData removes or empties the person's data in every collection
// beside the account, by id; answers how many records of each kind.
func eraseData(tx core.App, u *core.Record, who []needle) (map[string]int, error) {
	id := dbx.Params{"u": u.Id, "name": DeletedName}
	counts := map[string]int{}
	steps := []struct{ kind, sql string }{
		{"students", "UPDATE students SET guardian_name = '', guardian_email = '', level = '', goals = '' WHERE user = {:u}"},
		{"bookings", "UPDATE bookings SET student_name = {:name}, notes = '' WHERE student = {:u}"},
		{"bookings_taught", "UPDATE bookings SET tutor_name = {:name} WHERE tutor_user = {:u}"},
		{"cancel_reasons", "UPDATE bookings SET cancel_reason = '' WHERE cancelled_by = {:u} AND cancel_reason NOT IN ('" +
			strings.Join([]string{notify.ReasonUnpaid, notify.ReasonRescheduled, notify.ReasonTimeOff, notify.ReasonClosed}, "','") + "')"},
		{"reviews", "UPDATE reviews SET student_name = {:name}, comment = '' WHERE student = {:u}"},
		{"time_off", "UPDATE time_off SET reason = '' WHERE tutor_user = {:u}"},
		{"material_downloads", "DELETE FROM material_downloads WHERE user = {:u}"},
		{"tutor_notes", "DELETE FROM tutor_notes WHERE student = {:u}"},
		{"deliveries", "DELETE FROM deliveries WHERE user = {:u} OR notification IN (SELECT id FROM notifications WHERE user = {:u})"},
		{"notifications", "DELETE FROM notifications WHERE user = {:u}"},
		{"contact_proofs", "DELETE FROM contact_proofs WHERE user = {:u}"},
		{"sessions", "DELETE FROM sessions WHERE user = {:u}"},
		{"push_subscriptions", "DELETE FROM push_subscriptions WHERE user = {:u}"},
		{"billing_details", "DELETE FROM billing_details WHERE user = {:u}"}, // the invoices keep what they were made out to
		{"flags", "DELETE FROM flags WHERE user = {:u}"},
		{"busy_times", "DELETE FROM busy_times WHERE tutor_user = {:u}"},
		{"calendar_feeds", "DELETE FROM calendar_feeds WHERE tutor_user = {:u}"},
	}
	for _, st := range steps {
		res, err := tx.DB().NewQuery(st.sql).Bind(id).Execute()
		if err != nil {
			return nil, fmt.Errorf("failed to erase %s: %w", st.kind, err)
		}
		n, _ := res.RowsAffected()
		counts[st.kind] = int(n)
	}
	for _, n := range who { // the lockout's rows are keyed by the email
		if _, err := tx.DB().Delete("login_attempts", dbx.HashExp{"identity": n.find}).Execute(); err != nil {
			return nil, err
		}
	}
	if err := eraseTutor(tx, u.Id); err != nil {
		return nil, err
	}
	// records with files are deleted as records, so their files go too
	for _, del := range []struct{ kind, collection, where string }{
		{"lesson_reports", "lesson_reports", "student = {:u}"},
		{"materials", "materials", "owner = {:u}"},
	} {
		n, err := deleteRecords(tx, del.collection, del.where, id)
		if err != nil {
			return nil, fmt.Errorf("failed to erase %s: %w", del.kind, err)
		}
		counts[del.kind] = n
	}
	n, err := eraseMessages(tx, u.Id)
	counts["messages"] = n
	return counts, err
}

// eraseTutor empties a tutor's public profile and takes it off the
// directory; the avatar file goes with the save.
func eraseTutor(tx core.App, user string) error {
	t, err := tx.FindFirstRecordByData("tutors", "user", user)
	if err != nil {
		return nil // not a tutor
	}
	t.Set("name", DeletedName)
	for _, f := range []string{"headline", "bio", "iban", "meeting_url", "avatar"} {
		t.Set(f, "")
	}
	t.Set("status", "suspended")
	return tx.SaveNoValidate(t)
}

func deleteRecords(tx core.App, collection, where string, params dbx.Params) (int, error) {
	var rs []*core.Record
	if err := tx.RecordQuery(collection).AndWhere(dbx.NewExp(where, params)).OrderBy("created DESC").All(&rs); err != nil {
		return 0, err
	}
	for _, r := range rs {
		if err := tx.Delete(r); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}

// scrub replaces what is left of the person's identity in the text of
// every collection (notifications to others naming them, audit entries,
// anything written since): every text, email, URL, editor and JSON
// column, except the invoices the law keeps and the name columns set by
// id.
func scrub(tx core.App, who []needle) error {
	cs, err := tx.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if slices.Contains(kept, c.Name) {
			continue
		}
		for _, f := range c.Fields {
			switch f.(type) {
			case *core.TextField, *core.EmailField, *core.URLField, *core.EditorField, *core.JSONField:
			default:
				continue
			}
			if err := scrubColumn(tx, c.Name, f.GetName(), who, slices.Contains(ownNames[c.Name], f.GetName())); err != nil {
				return err
			}
		}
	}
	return nil
}

func scrubColumn(tx core.App, table, column string, who []needle, ownName bool) error {
	expr, where := "[["+column+"]]", []string{}
	params := dbx.Params{}
	for i, n := range who {
		if ownName && n.replace == DeletedName {
			continue
		}
		f, r := fmt.Sprintf("f%d", i), fmt.Sprintf("r%d", i)
		params[f], params[r] = n.find, n.replace
		expr = fmt.Sprintf("REPLACE(%s, {:%s}, {:%s})", expr, f, r)
		where = append(where, fmt.Sprintf("instr([[%s]], {:%s}) > 0", column, f))
	}
	if len(where) == 0 { // a child without an email, in a column of names set by id
		return nil
	}
	q := fmt.Sprintf("UPDATE {{%s}} SET [[%s]] = %s WHERE %s", table, column, expr, strings.Join(where, " OR "))
	if _, err := tx.DB().NewQuery(q).Bind(params).Execute(); err != nil {
		return fmt.Errorf("failed to scrub %s.%s: %w", table, column, err)
	}
	return nil
}

// scrubLogs deletes the server's request and error logs (auxiliary.db)
// that mention the person.
func scrubLogs(app core.App, who []needle) error {
	for _, n := range who {
		if n.find == "" {
			continue
		}
		_, err := app.AuxDB().Delete("_logs", dbx.NewExp("instr(data, {:f}) > 0 OR instr(message, {:f}) > 0", dbx.Params{"f": n.find})).Execute()
		if err != nil {
			return fmt.Errorf("failed to scrub the logs: %w", err)
		}
	}
	return nil
}
