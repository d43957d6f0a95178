package accounts

import (
	"fmt"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// syncStaffRules writes every collection's API rules from
// migrations.RuleSets, rendered with the current admins' ids (see
// migrations.RenderRule for why the rules name them). It runs at start and
// in the transaction of every change to who is an admin.
//
// Outside a transaction the cached collections are compared first, so a
// start with nothing to change decodes no collection (every test app
// starts this way); a collection to change is read afresh to be saved.
// Inside one the cache may lag the transaction's own writes: every
// collection is read afresh.
func syncStaffRules(app core.App) error {
	var admins []string
	err := app.DB().Select("id").From("users").Where(dbx.HashExp{"role": platform.RoleAdmin}).OrderBy("id").Column(&admins)
	if err != nil {
		return fmt.Errorf("failed to list admins: %w", err)
	}
	for name, set := range migrations.RuleSets {
		if !app.IsTransactional() {
			cached, err := app.FindCachedCollectionByNameOrId(name)
			if err != nil {
				continue // not created yet (an older schema)
			}
			if probe := *cached; !applyRules(&probe, set, admins) { // a copy: the cache stays untouched
				continue
			}
		}
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if applyRules(c, set, admins) {
			if err := app.Save(c); err != nil {
				return fmt.Errorf("failed to update the %s rules: %w", name, err)
			}
		}
	}
	return nil
}

// applyRules sets c's rules from set for admins and reports whether any
// changed.
func applyRules(c *core.Collection, set migrations.RuleSet, admins []string) bool {
	changed := false
	for _, r := range []struct {
		dst **string
		tpl *string
	}{{&c.ListRule, set.List}, {&c.ViewRule, set.View}, {&c.CreateRule, set.Create}, {&c.UpdateRule, set.Update}, {&c.DeleteRule, set.Delete}} {
		changed = setRule(r.dst, r.tpl, admins) || changed
	}
	if c.IsAuth() {
		changed = setRule(&c.ManageRule, set.Manage, admins) || changed
	}
	return changed
}

func setRule(dst **string, tpl *string, admins []string) bool {
	if tpl == nil {
		changed := *dst != nil
		*dst = nil
		return changed
	}
	want := migrations.RenderRule(*tpl, admins)
	if *dst != nil && **dst == want {
		return false
	}
	*dst = &want
	return true
}

// adminChange reports whether saving or deleting u changes who is an admin.
func adminChange(u *core.Record, deleted bool) bool {
	now := u.GetString("role") == platform.RoleAdmin
	if u.IsNew() || deleted {
		return now
	}
	return now != (storedRole(u) == platform.RoleAdmin)
}

func storedRole(u *core.Record) string { return u.Original().GetString("role") }

func (s *Service) registerStaff(app core.App) {
	if app.IsBootstrapped() {
		if err := syncStaffRules(app); err != nil {
			app.Logger().Error("failed to sync the staff rules", "error", err)
		}
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if err := syncStaffRules(se.App); err != nil {
			return err
		}
		return se.Next()
	})
	app.OnRecordDelete("users").BindFunc(func(e *core.RecordEvent) error {
		if !adminChange(e.Record, true) {
			return e.Next()
		}
		return platform.InTx(e, func() error { return syncStaffRules(e.App) })
	})
}
