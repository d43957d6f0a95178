package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The school's limits on lesson materials (docs/teaching.md): each file at
// most material_max_mb megabytes (50 by default, at most
// MaterialMaxMBCeiling), of one of the extensions in material_types.
const (
	DefaultMaterialMaxMB = 50
	MaterialMaxMBCeiling = 2048
)

// DefaultMaterialTypes are the file extensions a school accepts at first:
// documents, slides, sheets, pictures, recordings and videos. Web pages and
// scripts are left out on purpose.
var DefaultMaterialTypes = []string{
	"pdf", "doc", "docx", "odt", "rtf", "txt", "md", "epub",
	"ppt", "pptx", "odp", "key", "xls", "xlsx", "ods", "csv",
	"png", "jpg", "jpeg", "gif", "webp", "heic",
	"mp3", "m4a", "wav", "ogg", "mp4", "m4v", "webm", "mov", "zip",
}

// materialRateLimits cover the materials' own routes (bulk changes, the
// zip of several, opening a link).
var materialRateLimits = []core.RateLimitRule{
	{Label: "/api/materials/", MaxRequests: 120, Duration: 60},
}

func init() {
	m.Register(func(app core.App) error {
		if err := addMaterialLimits(app); err != nil {
			return err
		}
		materials, err := addMaterialVersions(app)
		if err != nil {
			return err
		}
		if err := createMaterialDownloads(app, materials); err != nil {
			return err
		}
		s := app.Settings()
		for _, r := range materialRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, func(app core.App) error {
		if err := dropCollections(app, "material_downloads"); err != nil {
			return err
		}
		for name, fields := range map[string][]string{
			"school":    {"material_max_mb", "material_types"},
			"materials": {"url", "latest", "root", "owner_name", "size"},
		} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			c.RemoveIndex("idx_materials_owner_latest")
			c.RemoveIndex("idx_materials_root")
			if err := app.Save(c); err != nil {
				return err
			}
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return slices.ContainsFunc(materialRateLimits, func(r core.RateLimitRule) bool { return r.Label == x.Label })
		})
		return app.Save(s)
	})
}

// addMaterialLimits adds the school's upload limits with their defaults.
func addMaterialLimits(app core.App) error {
	school, err := app.FindCollectionByNameOrId("school")
	if err != nil {
		return err
	}
	school.Fields.Add(
		integer("material_max_mb", 1, MaterialMaxMBCeiling, false),
		&core.JSONField{Name: "material_types", MaxSize: 4 << 10},
	)
	if err := app.Save(school); err != nil {
		return err
	}
	r, err := app.FindRecordById(school, SchoolId)
	if err != nil {
		return err
	}
	r.Set("material_max_mb", DefaultMaterialMaxMB)
	r.Set("material_types", DefaultMaterialTypes)
	return app.Save(r)
}

// addMaterialVersions lets a material be a link instead of a file and
// keeps its versions: each is a record of its own, the newest marked
// latest, each pointing at the one before (previous) and at the first
// (root, empty on the first itself).
func addMaterialVersions(app core.App) (*core.Collection, error) {
	materials, err := app.FindCollectionByNameOrId("materials")
	if err != nil {
		return nil, err
	}
	// the school's limit is checked by the hooks (internal/app/materials);
	// the field's own bound is the highest limit a school may choose
	materials.Fields.Add(&core.FileField{Name: "file", Protected: true, MaxSelect: 1, MaxSize: MaterialMaxMBCeiling << 20})
	materials.Fields.Add(
		&core.URLField{Name: "url"},
		&core.BoolField{Name: "latest"},
		relation("root", materials.Id, false, false),
		text("owner_name", 120, false),
		integer("size", 0, float64(MaterialMaxMBCeiling<<20), false),
	)
	materials.AddIndex("idx_materials_owner_latest", false, "owner, latest", "")
	materials.AddIndex("idx_materials_root", false, "root", "root != ''")
	if err := app.Save(materials); err != nil {
		return nil, err
	}
	_, err = app.DB().NewQuery(`UPDATE materials SET latest = TRUE,
		version = CASE WHEN version > 0 THEN version ELSE 1 END,
		owner_name = COALESCE((SELECT name FROM users WHERE users.id = materials.owner), '')`).Execute()
	return materials, err
}

// createMaterialDownloads: one record per download of a material (or
// opening of a link), for its owner to see who used it.
func createMaterialDownloads(app core.App, materials *core.Collection) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	d := core.NewBaseCollection("material_downloads")
	d.Fields.Add(
		relation("material", materials.Id, true, true),
		relation("owner", users.Id, true, true), // the material's owner: the rule compares on it without a join
		relation("user", users.Id, true, true),
		text("user_name", 120, false),
	)
	d.Fields.Add(timestamps()...)
	d.AddIndex("idx_material_downloads_material", false, "material, created", "")
	d.AddIndex("idx_material_downloads_owner", false, "owner, created", "")
	rules(d, rule(RuleMaterialDownloadsView), rule(RuleMaterialDownloadsView), nil, nil, nil)
	return app.Save(d)
}
