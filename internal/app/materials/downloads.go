package materials

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// registerDownloads records each download of a material's file through
// PocketBase's file API (GET /api/files/materials/{id}/{file}?token=),
// whichever page or client asked for it. A range request counts only
// from the first byte (a player fetching a video in parts is one
// download); the owner's own downloads and superusers' are not counted.
func (s *Service) registerDownloads(app core.App) {
	app.OnFileDownloadRequest(collection).BindFunc(func(e *core.FileDownloadRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if !wholeDownload(e.Request) {
			return nil
		}
		if err := recordDownload(e.App, e.Record, authOf(e.RequestEvent)); err != nil {
			e.App.Logger().Warn("failed to record a material download", "material", e.Record.Id, "error", err)
		}
		return nil
	})
}

// wholeDownload reports whether r asks for a material's file from its
// start (not a thumbnail, not the rest of a download under way).
func wholeDownload(r *http.Request) bool {
	if r.Method != http.MethodGet || r.URL.Query().Get("thumb") != "" {
		return false
	}
	rng := r.Header.Get("Range")
	return rng == "" || strings.HasPrefix(rng, "bytes=0-")
}

// authOf is who makes e: the signed-in caller, else the holder of the
// file token in ?token= (links and downloads cannot carry a header).
func authOf(e *core.RequestEvent) *core.Record {
	if e.Auth != nil {
		return e.Auth
	}
	token := e.Request.URL.Query().Get("token")
	if token == "" {
		return nil
	}
	who, err := e.App.FindAuthRecordByToken(token, core.TokenTypeFile)
	if err != nil {
		return nil
	}
	return who
}

// canView reports whether who may see material m (its view rule, as for
// its protected file).
func canView(app core.App, m *core.Record, who *core.Record) bool {
	info := &core.RequestInfo{
		Auth: who, Context: core.RequestInfoContextProtectedFile, Method: http.MethodGet,
		Query: map[string]string{}, Headers: map[string]string{}, Body: map[string]any{},
	}
	ok, _ := app.CanAccessRecord(m, info, m.Collection().ViewRule)
	return ok
}

// recordDownload notes that who downloaded (or opened) material m.
func recordDownload(app core.App, m *core.Record, who *core.Record) error {
	if who == nil || who.IsSuperuser() || who.Collection().Name != "users" || who.Id == m.GetString("owner") {
		return nil
	}
	col, err := app.FindCachedCollectionByNameOrId(downloads)
	if err != nil {
		return err
	}
	d := core.NewRecord(col)
	d.Load(map[string]any{
		"material": m.Id, "owner": m.GetString("owner"), "user": who.Id, "user_name": who.GetString("name"),
	})
	return app.Save(d)
}

// findVisible is the material id names, if who may see it.
func findVisible(app core.App, id string, who *core.Record) (*core.Record, bool) {
	m, err := app.FindRecordById(collection, id)
	if err != nil || !canView(app, m, who) {
		return nil, false
	}
	return m, true
}

// Open answers GET /api/materials/{id}/open: a link material's address
// (the opening recorded as a download), a file material's download
// address with a file token. The caller signs in with the Authorization
// header or a file token in ?token=, so a plain link works.
func (s *Service) Open(e *core.RequestEvent) error {
	who := authOf(e)
	if who == nil {
		return e.UnauthorizedError("Sign in to open this material.", nil)
	}
	m, ok := findVisible(e.App, e.Request.PathValue("id"), who)
	if !ok {
		return e.NotFoundError("Material not found.", nil)
	}
	if link := m.GetString("url"); link != "" {
		if err := recordDownload(e.App, m, who); err != nil {
			return err
		}
		return e.Redirect(http.StatusFound, link)
	}
	token := e.Request.URL.Query().Get("token")
	if token == "" {
		t, err := who.NewFileToken()
		if err != nil {
			return err
		}
		token = t
	}
	file := "/api/files/" + collection + "/" + m.Id + "/" + url.PathEscape(m.GetString("file"))
	return e.Redirect(http.StatusFound, file+"?download=1&token="+url.QueryEscape(token))
}
