package privacy

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/lang"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// exportPage is how many records an export reads at a time: an export
// of any size holds one page in memory.
const exportPage = 500

// ExportMe is GET /api/me/export: the caller's own data as a zip.
func (s *Service) ExportMe(e *core.RequestEvent) error {
	return s.export(e, e.Auth)
}

// ExportUser is GET /api/users/{id}/export (staff): a person's data as
// the person would get it, with the README in their language.
func (s *Service) ExportUser(e *core.RequestEvent) error {
	u, err := e.App.FindRecordById("users", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	return s.export(e, u)
}

// export answers u's zip, streamed as it is written, after counting it
// against the one export per person per hour (an audit entry, written in
// the transaction that checks the last one, so requests at once give one
// export).
func (s *Service) export(e *core.RequestEvent, u *core.Record) error {
	now := s.env.Now().UTC()
	err := e.App.RunInTransaction(func(tx core.App) error {
		n, err := tx.CountRecords("audit_log", dbx.NewExp(
			"action = 'privacy.export' AND record = {:user} AND json_extract(details, '$.at') > {:since}",
			dbx.Params{"user": u.Id, "since": stamp(now.Add(-ExportEvery))}))
		if err != nil {
			return err
		}
		if n > 0 {
			return platform.RuleError(http.StatusTooManyRequests, "user", "too_soon", "This account's data was exported less than an hour ago; try again later.")
		}
		platform.AuditIn(tx, e, "privacy.export", "users", u.Id, map[string]any{"at": stamp(now)})
		return nil
	})
	if err != nil {
		return err
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	zw := platform.ZipDownload(e, "tutorbase-export-"+now.Format("2006-01-02")+".zip")
	x := exporter{app: e.App, zw: zw, fsys: fsys, user: u.Id}
	if err := x.write(u, lang.Of(u.GetString("locale")), now); err != nil {
		// the answer has begun: stopping it short is all that is left,
		// which the browser reports as a failed download
		e.App.Logger().Error("failed to export a person's data", "user", u.Id, "error", err)
		return nil
	}
	if err := zw.Close(); err != nil {
		e.App.Logger().Error("failed to finish an export", "user", u.Id, "error", err)
	}
	return nil
}

// stamp is how export times are kept in the audit entries' details, in
// an order that compares as text.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type exporter struct {
	app  core.App
	zw   *zip.Writer
	fsys *filesystem.System
	user string
}

// write writes every file of the export, README first.
func (x exporter) write(u *core.Record, language string, now time.Time) error {
	if err := x.text("README.txt", readme(language, u.GetString("name"), now)); err != nil {
		return err
	}
	if err := x.profile(u); err != nil {
		return err
	}
	mine := dbx.Params{"user": x.user}
	lists := []struct {
		file  string
		parts []part
	}{
		{"bookings.json", []part{{"", "bookings", "student = {:user} OR tutor_user = {:user}"}}},
		{"payments.json", []part{
			{"purchases", "purchases", "student = {:user}"},
			{"payments", "payments", "user = {:user}"},
			{"refunds", "refunds", "user = {:user}"},
			{"credit_ledger", "credit_ledger", "student = {:user}"},
		}},
		{"reports.json", []part{
			{"lesson_reports", "lesson_reports", "student = {:user} OR tutor_user = {:user}"},
			{"reviews", "reviews", "student = {:user}"},
			{"churn_scores", "churn_scores", "student = {:user}"}, // the score staff see, and why
		}},
		{"notifications.json", []part{{"", "notifications", "user = {:user}"}}},
		{"audit.json", []part{{"", "audit_log", "actor = {:user} OR (collection = 'users' AND record = {:user})"}}},
		{"invoices/invoices.json", []part{{"", "invoices", "user = {:user}"}}},
		{"materials/materials.json", []part{{"", "materials", "owner = {:user}"}}},
	}
	for _, l := range lists {
		if err := x.json(l.file, l.parts, mine); err != nil {
			return err
		}
	}
	if err := x.messages(); err != nil {
		return err
	}
	if err := x.files("invoices", "invoices", "user = {:user} AND pdf != ''", "pdf"); err != nil {
		return err
	}
	return x.files("materials", "materials", "owner = {:user} AND file != ''", "file")
}

// part is one list of an export file: the records of collection matching
// where, under key (the whole file when key is empty).
type part struct{ key, collection, where string }

func (x exporter) text(name, body string) error {
	w, err := x.zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, body)
	return err
}

// profile writes the account with its student or tutor profile and its
// invoice details, without the secrets of signing in.
func (x exporter) profile(u *core.Record) error {
	out := map[string]any{"account": pick(u, "id", "email", "name", "role", "timezone", "locale", "phone",
		"phone_verified", "telegram_chat_id", "notify", "quiet_start", "quiet_end", "verified", "totp_enabled", "created", "updated")}
	for key, c := range map[string]string{"student": "students", "tutor": "tutors", "billing_details": "billing_details"} {
		if r, err := x.app.FindFirstRecordByFilter(c, "user = {:user}", dbx.Params{"user": x.user}); err == nil {
			out[key] = r.PublicExport()
		}
	}
	w, err := x.zw.Create("profile.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func pick(r *core.Record, fields ...string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = r.Get(f)
	}
	return out
}

// json writes one file of lists: one list, or an object of lists.
func (x exporter) json(name string, parts []part, params dbx.Params) error {
	w, err := x.zw.Create(name)
	if err != nil {
		return err
	}
	whole := len(parts) == 1 && parts[0].key == ""
	if !whole {
		if _, err := io.WriteString(w, "{"); err != nil {
			return err
		}
	}
	for i, p := range parts {
		if !whole {
			key, _ := json.Marshal(p.key)
			if _, err := fmt.Fprintf(w, "%s\n%s: ", map[bool]string{true: "", false: ","}[i == 0], key); err != nil {
				return err
			}
		}
		if err := x.list(w, p.collection, dbx.NewExp(p.where, params)); err != nil {
			return err
		}
	}
	if !whole {
		_, err = io.WriteString(w, "\n}\n")
	}
	return err
}

// list streams the records of collection matching where as a JSON array,
// a page at a time.
func (x exporter) list(w io.Writer, collection string, where dbx.Expression) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	n := 0
	for offset := 0; ; offset += exportPage {
		var page []*core.Record
		err := x.app.RecordQuery(collection).AndWhere(where).OrderBy("rowid ASC").
			Limit(exportPage).Offset(int64(offset)).All(&page)
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", collection, err)
		}
		for _, r := range page {
			raw, err := json.Marshal(r.PublicExport())
			if err != nil {
				return err
			}
			sep := ",\n"
			if n == 0 {
				sep = "\n"
			}
			if _, err := fmt.Fprintf(w, "%s%s", sep, raw); err != nil {
				return err
			}
			n++
		}
		if len(page) < exportPage {
			break
		}
	}
	_, err := io.WriteString(w, "\n]")
	return err
}

// files copies the file field of the person's records into folder.
func (x exporter) files(folder, collection, where, field string) error {
	for offset := 0; ; offset += exportPage {
		var page []*core.Record
		err := x.app.RecordQuery(collection).AndWhere(dbx.NewExp(where, dbx.Params{"user": x.user})).
			OrderBy("rowid ASC").Limit(exportPage).Offset(int64(offset)).All(&page)
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", collection, err)
		}
		for _, r := range page {
			if err := x.file(folder, r, r.GetString(field)); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
	}
}

func (x exporter) file(folder string, r *core.Record, name string) error {
	src, err := x.fsys.GetReader(r.BaseFilesPath() + "/" + name)
	if err != nil {
		x.app.Logger().Warn("a file of an export is missing", "record", r.Id, "file", name, "error", err)
		return nil // a lost file is no reason to refuse the rest
	}
	defer src.Close()
	w, err := x.zw.CreateHeader(&zip.FileHeader{Name: path.Join(folder, r.Id+"-"+name), Method: zip.Deflate, Modified: r.GetDateTime("created").Time()})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}
