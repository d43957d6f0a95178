package materials

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Limits are the school's bounds on an uploaded material.
type Limits struct {
	MaxMB int      // each file at most this many megabytes (MiB)
	Types []string // the file extensions accepted, lower case, without the dot
}

// MaxBytes is MaxMB in bytes.
func (l Limits) MaxBytes() int64 { return int64(l.MaxMB) << 20 }

// multipartSlack is what an upload's body may hold beyond its file: the
// other fields (a title, up to 500 student ids) and the part headers.
const multipartSlack = 1 << 20

// maxURL bounds a link's length.
const maxURL = 2000

const limitsStoreKey = "tutorbase.materials.limits"

// LoadLimits returns the school's upload limits (the defaults where the
// school record has none), cached until the school record changes.
func LoadLimits(app core.App) (Limits, error) {
	if l, ok := app.Store().Get(limitsStoreKey).(Limits); ok {
		return l, nil
	}
	r, err := app.FindRecordById("school", migrations.SchoolId)
	if err != nil {
		return Limits{}, fmt.Errorf("failed to load the school record: %w", err)
	}
	l := Limits{MaxMB: r.GetInt("material_max_mb")}
	if l.MaxMB <= 0 {
		l.MaxMB = migrations.DefaultMaterialMaxMB
	}
	if err := platform.DecodeJSON(r.Get("material_types"), &l.Types); err != nil || len(l.Types) == 0 {
		l.Types = migrations.DefaultMaterialTypes
	}
	app.Store().Set(limitsStoreKey, l)
	return l, nil
}

var extPattern = regexp.MustCompile(`^[a-z0-9]{1,10}$`)

// registerLimits keeps the school's types tidy (lower case, no dots, no
// repeats) and forgets the cached limits when they change.
func registerLimits(app core.App) {
	app.OnRecordValidate("school").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		var types []string
		if err := platform.DecodeJSON(e.Record.Get("material_types"), &types); err != nil {
			errs["material_types"] = validation.NewError("invalid_types", "List the accepted file types, e.g. [\"pdf\", \"docx\"].")
		} else if types != nil {
			clean, bad := cleanTypes(types)
			if bad != "" || len(clean) > 100 {
				errs["material_types"] = validation.NewError("invalid_types", "Each file type is up to 10 letters or digits, such as pdf or docx (at most 100 types).")
			} else {
				e.Record.Set("material_types", clean)
			}
		}
		return platform.MergeErrors(e.Next(), errs)
	})
	app.OnRecordAfterUpdateSuccess("school").BindFunc(func(e *core.RecordEvent) error {
		e.App.Store().Remove(limitsStoreKey)
		return e.Next()
	})
}

// cleanTypes lower-cases the extensions and drops dots and repeats; bad is
// the first that is not an extension.
func cleanTypes(types []string) (clean []string, bad string) {
	for _, t := range types {
		t = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "."))
		if !extPattern.MatchString(t) {
			return nil, cmp.Or(t, "(empty)")
		}
		if !slices.Contains(clean, t) {
			clean = append(clean, t)
		}
	}
	return clean, ""
}

// checkUpload holds a material to the school's limits: a file or a link,
// not both; a new file within the size and of an accepted type; a link
// on the web (http or https).
func checkUpload(app core.App, m *core.Record) (validation.Errors, error) {
	errs := validation.Errors{}
	unsaved := m.GetUnsavedFiles("file")
	file := m.GetString("file") != "" || len(unsaved) > 0
	link := strings.TrimSpace(m.GetString("url"))
	switch {
	case file && link != "":
		errs["url"] = validation.NewError("file_or_link", "Give a file or a link, not both.")
	case !file && link == "":
		errs["file"] = validation.NewError("validation_required", "Choose a file or give a link.")
	case link != "":
		if err := checkLink(link); err != nil {
			errs["url"] = err
		}
	}
	if len(unsaved) == 0 {
		return errs, nil
	}
	l, err := LoadLimits(app)
	if err != nil {
		return nil, err
	}
	for _, f := range unsaved {
		if err := checkFile(l, f.OriginalName, f.Size); err != nil {
			errs["file"] = err
		}
		m.Set("size", f.Size)
	}
	return errs, nil
}

// checkFile is the school's verdict on a file of name and size.
func checkFile(l Limits, name string, size int64) error {
	if size > l.MaxBytes() {
		return tooLarge(l)
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	if !slices.Contains(l.Types, ext) {
		shown := cmp.Or(ext, "(none)")
		return validation.NewError("file_type_not_allowed",
			fmt.Sprintf("Files of type %s are not accepted. Accepted types: %s.", shown, strings.Join(l.Types, ", ")))
	}
	return nil
}

func tooLarge(l Limits) validation.Error {
	return validation.NewError("file_too_large", fmt.Sprintf("This file is too large: each file can be at most %d MB.", l.MaxMB))
}

// checkLink accepts an absolute web address.
func checkLink(link string) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > maxURL {
		return validation.NewError("invalid_link", "Give a web address that starts with http:// or https://.")
	}
	return nil
}

// UploadLimit refuses an upload of a material larger than the school
// allows before its body is read: a declared length over the limit is
// answered at once (413, a field error on file), and a body without one is
// cut off where it passes the limit, so nothing bigger is ever read, held
// or stored. PocketBase's own body limit for the records API allows the
// largest limit a school may choose (migrations.MaterialMaxMBCeiling).
func (s *Service) UploadLimit() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseMaterialUploadLimit",
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 2,
		Func: func(e *core.RequestEvent) error {
			if !isMaterialWrite(e) {
				return e.Next()
			}
			l, err := LoadLimits(e.App)
			if err != nil {
				return err
			}
			refusal := apis.NewApiError(http.StatusRequestEntityTooLarge, tooLarge(l).Message(), validation.Errors{"file": tooLarge(l)})
			max := l.MaxBytes() + multipartSlack
			// the rest of a refused body is never read: the connection
			// closes after the answer, and says so (a client that sent
			// "Expect: 100-continue" then never sends the body)
			closeAfter := func() { e.Response.Header().Set("Connection", "close") }
			if e.Request.ContentLength > max {
				closeAfter()
				return refusal
			}
			e.Request.Body = &cappedBody{ReadCloser: e.Request.Body, left: max, refusal: refusal, onRefuse: closeAfter}
			return e.Next()
		},
	}
}

// isMaterialWrite reports whether e creates or updates a material through
// the records API.
func isMaterialWrite(e *core.RequestEvent) bool {
	if e.Request.Method != http.MethodPost && e.Request.Method != http.MethodPatch {
		return false
	}
	parts := strings.Split(strings.Trim(e.Request.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "api" || parts[1] != "collections" || parts[3] != "records" {
		return false
	}
	c, err := e.App.FindCachedCollectionByNameOrId(parts[2])
	return err == nil && c.Name == collection
}

// cappedBody reads at most left bytes, then answers refusal.
type cappedBody struct {
	io.ReadCloser
	left     int64
	refusal  *router.ApiError
	onRefuse func()
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more shows whether the body goes on
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		b.onRefuse()
		return 0, b.refusal
	}
	return n, err
}
