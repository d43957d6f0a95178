package google

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"google.golang.org/api/drive/v3"
)

// Drive files attached to lessons: the tutor picks a file or folder with
// Google Picker in the browser (which loads from Google), the web app
// saves it as a link material (the records API: its url, its lesson, who
// it is shared with), then asks the server to share it at Google with
// the material's people. The file id is read from the material's own
// address, so only a file the tutor attached is ever shared.

// driveID finds a Drive or Docs file id in a link.
var driveID = regexp.MustCompile(`^https://(?:drive|docs)\.google\.com/(?:(?:file|document|spreadsheets|presentation|drive/folders|drive/u/\d+/folders)/(?:d/)?|open\?id=)([A-Za-z0-9_-]{10,200})`)

// DriveShare is POST /api/google/drive/share {material}: the material's
// owner shares its Drive file with its people (shared_with and the
// student of its lesson) as readers, from their own Google Drive (their
// connected account); it answers {file, shared: [emails]}. A material
// that is not the caller's answers 404.
func (s *Service) DriveShare(e *core.RequestEvent) error {
	var in struct{ Material string }
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 4<<10)).Decode(&in); err != nil || in.Material == "" {
		return driveError("material", "validation_required", "Say which material to share.")
	}
	m, err := e.App.FindRecordById("materials", in.Material)
	if err != nil || m.GetString("owner") != e.Auth.Id {
		return e.NotFoundError("", nil)
	}
	match := driveID.FindStringSubmatch(m.GetString("url"))
	if match == nil {
		return driveError("material", "not_drive", "This material is not a Google Drive file.")
	}
	if !s.CalendarOn() {
		return notConfigured()
	}
	emails, err := s.recipients(e.App, m)
	if err != nil {
		return err
	}
	shared, err := s.share(e.App, e.Auth.Id, match[1], emails)
	switch {
	case errors.Is(err, errNotConnected):
		return driveError("material", "not_connected", "Connect your Google account first (Account → Google).")
	case err != nil:
		e.App.Logger().Warn("drive share failed", "material", m.Id, "error", err)
		return driveError("material", "drive_failed", "Google Drive did not share the file. Try again.")
	}
	return e.JSON(http.StatusOK, map[string]any{"file": match[1], "shared": shared})
}

// recipients are the Google addresses of a material's people: their
// connected Google account's, else their own email.
func (s *Service) recipients(app core.App, m *core.Record) ([]string, error) {
	users := m.GetStringSlice("shared_with")
	if b := m.GetString("booking"); b != "" {
		if bk, err := app.FindRecordById("bookings", b); err == nil {
			users = append(users, bk.GetString("student"))
		}
	}
	var rows []struct {
		Email  string `db:"email"`
		Google string `db:"google"`
	}
	if len(users) == 0 {
		return nil, nil
	}
	ids := make([]any, len(users))
	for i, u := range users {
		ids[i] = u
	}
	err := app.DB().Select("u.email AS email", "COALESCE(g.email, '') AS google").From("users u").
		LeftJoin(Links+" g", dbx.NewExp("g.user = u.id AND g.status = 'connected'")).
		Where(dbx.In("u.id", ids...)).All(&rows)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		addr := r.Email
		if r.Google != "" {
			addr = r.Google
		}
		if addr != "" && !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	return out, nil
}

// share makes each address a reader of the file, from user's Drive.
func (s *Service) share(app core.App, user, file string, emails []string) ([]string, error) {
	c, err := s.connect(app, user)
	if err != nil {
		return nil, err
	}
	defer s.keep(app, c)
	ctx, cancel := s.ctx()
	defer cancel()
	svc, err := drive.NewService(ctx, s.options(c, s.env.Config.Google.DriveEndpoint())...)
	if err != nil {
		return nil, err
	}
	shared := []string{}
	for _, addr := range emails {
		_, err := svc.Permissions.Create(file, &drive.Permission{Type: "user", Role: "reader", EmailAddress: addr}).
			SendNotificationEmail(false).SupportsAllDrives(true).Context(ctx).Do()
		if err != nil {
			return shared, err
		}
		shared = append(shared, addr)
	}
	return shared, nil
}

func driveError(field, code, msg string) error {
	return apis.NewBadRequestError(msg, validation.Errors{field: validation.NewError(code, msg)})
}
