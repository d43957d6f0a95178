package materials

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"tutorbase/internal/app/platform"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// MaxBulk is the most materials one bulk request (zip, move, unshare)
// names.
const MaxBulk = 100

// compressible are the extensions worth deflating in a zip; the others
// (PDF, Office files, pictures, recordings) are compressed already.
var compressible = []string{"txt", "md", "csv", "rtf", "doc", "xls", "ppt", "wav"}

// Zip answers GET /api/materials/zip?ids=a,b,c with the files of those
// materials in one zip (folders as directories, links listed in
// links.txt), written to the response as each file is read from
// PocketBase's filesystem (local or S3): nothing is built in memory. Every
// material must be one the caller may see, else 404 and nothing is sent.
// The caller signs in with the Authorization header or a file token in
// ?token=, so the browser can save the zip as a plain download.
func (s *Service) Zip(e *core.RequestEvent) error {
	who := authOf(e)
	if who == nil {
		return e.UnauthorizedError("Sign in to download materials.", nil)
	}
	ids, err := bulkIDs(strings.Split(e.Request.URL.Query().Get("ids"), ","))
	if err != nil {
		return err
	}
	var ms []*core.Record
	for _, id := range ids {
		m, ok := findVisible(e.App, id, who)
		if !ok {
			return e.NotFoundError("Material not found.", validation.Errors{"ids": validation.NewError("not_found", "Material "+id+" was not found.")})
		}
		ms = append(ms, m)
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return e.InternalServerError("", err)
	}
	defer fsys.Close()

	zw := platform.ZipDownload(e, "materials-"+s.env.Now().UTC().Format("2006-01-02")+".zip")
	names := map[string]bool{}
	var links []string
	for _, m := range ms {
		if link := m.GetString("url"); link != "" {
			links = append(links, m.GetString("title")+": "+link)
		} else if err := addToZip(zw, fsys, m, names); err != nil {
			// the answer has begun: all that is left is to stop it short,
			// which the browser reports as a failed download
			e.App.Logger().Error("failed to zip a material", "material", m.Id, "error", err)
			return nil
		}
		if err := recordDownload(e.App, m, who); err != nil {
			e.App.Logger().Warn("failed to record a material download", "material", m.Id, "error", err)
		}
	}
	if len(links) > 0 {
		w, err := zw.Create(uniqueName("links.txt", names))
		if err == nil {
			_, err = io.WriteString(w, strings.Join(links, "\r\n")+"\r\n")
		}
		if err != nil {
			return nil
		}
	}
	_ = zw.Close()
	return nil
}

// addToZip copies material m's file into zw under its folder and title.
func addToZip(zw *zip.Writer, fsys *filesystem.System, m *core.Record, names map[string]bool) error {
	file := m.GetString("file")
	r, err := fsys.GetReader(m.BaseFilesPath() + "/" + file)
	if err != nil {
		return err
	}
	defer r.Close()
	ext := strings.ToLower(filepath.Ext(file))
	name := cleanName(m.GetString("title"))
	if m.GetInt("version") > 1 && !m.GetBool("latest") {
		name += fmt.Sprintf(" (version %d)", m.GetInt("version"))
	}
	if folder := cleanName(m.GetString("folder")); folder != "" {
		name = folder + "/" + name
	}
	hdr := &zip.FileHeader{Name: uniqueName(name+ext, names), Method: zip.Store, Modified: m.GetDateTime("created").Time()}
	if slices.Contains(compressible, strings.TrimPrefix(ext, ".")) {
		hdr.Method = zip.Deflate
	}
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

// cleanName makes a title a file or folder name on every system.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return -1
		case strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, " .")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	return s
}

// uniqueName is name, or name with " (2)", " (3)"... before its extension
// when a file of the zip has it already.
func uniqueName(name string, taken map[string]bool) string {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if base == "" || strings.HasSuffix(base, "/") {
		base += "material"
	}
	out := base + ext
	for i := 2; taken[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("%s (%d)%s", base, i, ext)
	}
	taken[strings.ToLower(out)] = true
	return out
}

// bulkIDs checks the ids of a bulk request: at least one, at most
// MaxBulk, repeats dropped.
func bulkIDs(raw []string) ([]string, error) {
	var ids []string
	for _, id := range raw {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		msg := "Choose at least one material."
		return nil, apis.NewBadRequestError(msg, validation.Errors{"ids": validation.NewError("validation_required", msg)})
	case len(ids) > MaxBulk:
		msg := fmt.Sprintf("Choose at most %d materials at once.", MaxBulk)
		return nil, apis.NewBadRequestError(msg, validation.Errors{"ids": validation.NewError("too_many", msg)})
	}
	return ids, nil
}
