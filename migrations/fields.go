package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Field builders keep the migrations readable; they are thin on purpose.

func timestamps() []core.Field {
	return []core.Field{
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	}
}

func relation(name, collectionId string, required, cascade bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionId, MaxSelect: 1, Required: required, CascadeDelete: cascade}
}

func text(name string, max int, required bool) *core.TextField {
	return &core.TextField{Name: name, Max: max, Required: required}
}

func choice(name string, required bool, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, Values: values, MaxSelect: 1, Required: required}
}

// integer is a whole number within [min, max].
func integer(name string, min, max float64, required bool) *core.NumberField {
	return &core.NumberField{Name: name, OnlyInt: true, Min: types.Pointer(min), Max: types.Pointer(max), Required: required}
}

// cents is an amount of money in minor units: a non-negative integer up to
// 100 million (one million euros), far above any lesson or package.
func cents(name string, required bool) *core.NumberField {
	return integer(name, 0, 1e8, required)
}

// currency is an ISO 4217 code.
func currency(name string, required bool) *core.TextField {
	return &core.TextField{Name: name, Min: 3, Max: 3, Pattern: `^[A-Z]{3}$`, Required: required}
}

func rules(c *core.Collection, list, view, create, update, del *string) {
	c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = list, view, create, update, del
}

// rule turns a constant into the pointer PocketBase wants (nil means
// superusers only), rendered with no admins yet: the hooks render the
// current admins in when the app starts.
func rule(s string) *string { return types.Pointer(RenderRule(s, nil)) }

// dropCollections deletes collections in the given order (dependents first).
func dropCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
