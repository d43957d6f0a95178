package accounts

import (
	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
)

// registerAvatars makes both sizes of a tutor's new photo as soon as it is
// stored, with PocketBase's own thumbnail maker and at the paths its file
// route serves ?thumb= from (so the first visitor of the directory waits
// for no resizing, and a photo PocketBase cannot decode is known at once).
// Replacing or removing the photo deletes the old thumbnails (PocketBase
// does, with the old file).
func (s *Service) registerAvatars(app core.App) {
	thumbs := func(e *core.RecordEvent) error {
		if name := e.Record.GetString("avatar"); name != "" {
			makeAvatarThumbs(e.App, e.Record, name)
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("tutors").BindFunc(thumbs)
	app.OnRecordAfterUpdateSuccess("tutors").BindFunc(thumbs)
}

// makeAvatarThumbs writes the avatar sizes of file name of tutor t that
// do not exist yet (every upload has a new file name, so a save that keeps
// the photo writes nothing). A failure is logged: PocketBase then makes (or
// falls back from) a size on its first request.
func makeAvatarThumbs(app core.App, t *core.Record, name string) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		app.Logger().Error("failed to open the file storage for avatar thumbnails", "tutor", t.Id, "error", err)
		return
	}
	defer fsys.Close()
	base := t.BaseFilesPath()
	for _, size := range []string{migrations.AvatarSmall, migrations.AvatarLarge} {
		thumb := base + "/thumbs_" + name + "/" + size + "_" + name
		if ok, _ := fsys.Exists(thumb); ok {
			continue
		}
		if err := fsys.CreateThumb(base+"/"+name, thumb, size); err != nil {
			app.Logger().Warn("failed to make an avatar thumbnail", "tutor", t.Id, "size", size, "error", err)
		}
	}
}
