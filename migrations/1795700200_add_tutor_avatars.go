package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Avatar sizes of a tutor's photo: the small one in lists and the header
// (shown at 48 px and less, sharp on 2× screens), the large one on the
// profile. PocketBase serves them as ?thumb=<size>, cropped to a square
// from the centre; hooks/avatars.go makes both when a photo is uploaded.
const (
	AvatarSmall = "96x96"
	AvatarLarge = "320x320"
)

// AvatarMaxBytes is the largest photo a tutor may upload (the web app
// sends a cropped square of at most 640 px, far smaller).
const AvatarMaxBytes = 5 << 20

func init() {
	m.Register(func(app core.App) error {
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		// public like the profile it belongs to (not Protected): the
		// directory shows it to visitors
		tutors.Fields.Add(&core.FileField{
			Name: "avatar", MaxSelect: 1, MaxSize: AvatarMaxBytes,
			MimeTypes: []string{"image/jpeg", "image/png", "image/webp"},
			Thumbs:    []string{AvatarSmall, AvatarLarge},
		})
		return app.Save(tutors)
	}, func(app core.App) error {
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		tutors.Fields.RemoveByName("avatar")
		return app.Save(tutors)
	})
}
