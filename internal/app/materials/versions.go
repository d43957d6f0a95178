package materials

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// CodeStaleVersion: a version was added to a material that has a newer
// one by now (another upload won the race).
const CodeStaleVersion = "stale_version"

// singleVersionKey marks a context whose delete of a material removes that
// version only (a new version that lost its race), not the whole material.
type singleVersionKey struct{}

func registerVersions(app core.App) {
	app.OnRecordCreate(collection).BindFunc(createVersion)
	app.OnRecordUpdate(collection).BindFunc(shareAlike)
	app.OnRecordDelete(collection).BindFunc(deleteAllVersions)
}

// chainOf is the id every version of m shares: the first version's.
func chainOf(m *core.Record) string { return cmp.Or(m.GetString("root"), m.Id) }

func staleVersion() error {
	return platform.RuleError(http.StatusConflict, "previous", CodeStaleVersion,
		"A newer version of this material was added meanwhile: add yours to the newest one.")
}

// createVersion fills a new material's server fields. A new version
// (previous set) takes the sharing and folder of the one before and
// becomes the latest by compare-and-set, after its file is stored and
// outside any long transaction: of two versions added at once to the same
// material, one wins and the other is removed and refused with 409.
func createVersion(e *core.RecordEvent) error {
	r := e.Record
	if p, err := platform.LoadPerson(e.App, r.GetString("owner")); err == nil {
		r.Set("owner_name", p.Name)
	}
	prevID := r.GetString("previous")
	if prevID == "" {
		r.Set("version", 1)
		r.Set("latest", true)
		r.Set("root", "")
		return e.Next()
	}
	prev, err := e.App.FindRecordById(collection, prevID)
	if err != nil {
		return validation.Errors{"previous": validation.NewError("validation_missing_rel_records", "Choose a material to add a version to.")}
	}
	if prev.GetString("owner") != r.GetString("owner") {
		return validation.Errors{"previous": validation.NewError("not_your_material", "Add versions only to your own materials.")}
	}
	if !prev.GetBool("latest") {
		return staleVersion()
	}
	r.Set("version", prev.GetInt("version")+1)
	r.Set("root", chainOf(prev))
	r.Set("latest", false) // until it wins below
	r.Set("folder", prev.GetString("folder"))
	r.Set("booking", prev.GetString("booking"))
	r.Set("shared_with", prev.GetStringSlice("shared_with"))
	r.SetRaw(baselineKey, prev)
	if err := e.Next(); err != nil {
		return err
	}
	won := false
	err = e.App.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery("UPDATE materials SET latest = FALSE WHERE id = {:prev} AND latest = TRUE").
			Bind(dbx.Params{"prev": prev.Id}).Execute()
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err
		}
		won = true
		_, err = tx.DB().NewQuery("UPDATE materials SET latest = TRUE WHERE id = {:id}").Bind(dbx.Params{"id": r.Id}).Execute()
		return err
	})
	if err == nil && won {
		r.Set("latest", true)
		return nil
	}
	// lost (or failed): this version goes, and only it
	if derr := e.App.DeleteWithContext(context.WithValue(e.Context, singleVersionKey{}, true), r); derr != nil {
		return errors.Join(err, derr)
	}
	if err != nil {
		return err
	}
	return staleVersion()
}

// shareAlike writes a change of sharing or folder to every version of the
// material, in the change's transaction: who may open the newest may open
// its history, and nobody else.
func shareAlike(e *core.RecordEvent) error {
	r := e.Record
	orig := platform.StoredOriginal(e.App, r)
	if r.GetString("folder") == orig.GetString("folder") && r.GetString("booking") == orig.GetString("booking") &&
		slices.Equal(r.GetStringSlice("shared_with"), orig.GetStringSlice("shared_with")) {
		return e.Next()
	}
	return platform.InTx(e, func() error {
		shared, err := json.Marshal(append([]string{}, r.GetStringSlice("shared_with")...))
		if err != nil {
			return err
		}
		_, err = e.App.DB().NewQuery(`UPDATE materials SET folder = {:folder}, booking = {:booking}, shared_with = {:shared}
			WHERE (id = {:chain} OR root = {:chain}) AND id != {:id}`).Bind(dbx.Params{
			"folder": r.GetString("folder"), "booking": r.GetString("booking"), "shared": string(shared),
			"chain": chainOf(r), "id": r.Id,
		}).Execute()
		return err
	})
}

// deleteAllVersions deletes a material with every version of it (and so
// their files and downloads), in one transaction.
func deleteAllVersions(e *core.RecordEvent) error {
	if single, _ := e.Context.Value(singleVersionKey{}).(bool); single {
		return e.Next()
	}
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		chain := chainOf(e.Record)
		params := dbx.Params{"chain": chain, "id": e.Record.Id}
		others, err := tx.FindRecordsByFilter(collection, "(id = {:chain} || root = {:chain}) && id != {:id}", "", 0, 0, params)
		if err != nil {
			return err
		}
		if len(others) > 0 {
			// the versions point at each other: unlink them first, so no
			// delete has references to clear
			if _, err := tx.DB().NewQuery("UPDATE materials SET previous = '', root = '' WHERE id = {:chain} OR root = {:chain}").
				Bind(params).Execute(); err != nil {
				return err
			}
		}
		ctx := context.WithValue(e.Context, singleVersionKey{}, true)
		for _, o := range others {
			o.Set("previous", "")
			o.Set("root", "")
			if err := tx.DeleteWithContext(ctx, o); err != nil {
				return err
			}
		}
		return e.Next()
	})
}
