package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/ops"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// upgradeCheckCommand reports what serving the data dir with this binary
// would change.
func upgradeCheckCommand(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:   "upgrade-check",
		Short: "List the migrations this binary would apply to the data dir, and what each does",
		Long: "Compares the data dir's applied migrations with this binary's. `serve` applies the pending ones in one " +
			"transaction, after a backup named pre_upgrade_*.zip (pb_data/backups); a migration that fails rolls " +
			"them all back and the server does not start. Exits 1 when the data dir was migrated by a newer " +
			"binary (downgrade: restore the pre-upgrade backup instead).",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(c *cobra.Command, args []string) error {
			plan, err := Plan(app)
			if err != nil {
				return err
			}
			printPlan(c.OutOrStdout(), plan)
			if len(plan.Unknown) > 0 {
				return fmt.Errorf("the data dir was migrated by a newer Tutorbase: serve it with that version, or restore the pre-upgrade backup")
			}
			return nil
		},
	}
}

// UpgradePlan is what serving would change: the migrations pending, and
// the applied ones this binary does not know.
type UpgradePlan struct {
	Fresh            bool // no migration applied yet (a new data dir)
	Pending, Unknown []string
}

// Plan compares app's applied migrations with the compiled-in ones.
func Plan(app core.App) (UpgradePlan, error) {
	var p UpgradePlan
	var applied []string
	err := app.DB().NewQuery("SELECT file FROM _migrations").Column(&applied)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return p, err
	}
	known := ops.KnownMigrations()
	appMigrations := 0
	for _, m := range core.AppMigrations.Items() {
		if slices.Contains(applied, m.File) {
			appMigrations++
		}
	}
	p.Fresh = appMigrations == 0
	for _, f := range known {
		if !slices.Contains(applied, f) {
			p.Pending = append(p.Pending, f)
		}
	}
	for _, f := range applied {
		if !slices.Contains(known, f) {
			p.Unknown = append(p.Unknown, f)
		}
	}
	return p, nil
}

// printPlan prints the plan, each migration with what its name says it does.
func printPlan(w io.Writer, p UpgradePlan) {
	switch {
	case p.Fresh:
		fmt.Fprintf(w, "A new data dir: serve creates the schema (%d migrations).\n", len(p.Pending))
		return
	case len(p.Pending) == 0:
		fmt.Fprintln(w, "Up to date: no migration pending.")
	default:
		fmt.Fprintf(w, "%d migrations pending (serve backs up the data dir first, then applies them in one transaction):\n", len(p.Pending))
		for _, f := range p.Pending {
			fmt.Fprintf(w, "  %s  %s\n", f, Describe(f))
		}
	}
	for _, f := range p.Unknown {
		fmt.Fprintf(w, "Applied by a newer version, unknown to this binary: %s\n", f)
	}
}

// Describe is what a migration's file name says it does:
// "1795690000_note_outbox.go" → "note outbox".
func Describe(file string) string {
	name := strings.TrimSuffix(file, ".go")
	if _, rest, ok := strings.Cut(name, "_"); ok {
		name = rest
	}
	return strings.ReplaceAll(name, "_", " ")
}

// GuardServe makes `serve` take a backup before it applies pending
// migrations to a data dir in use, and turn a failed migration (rolled
// back: PocketBase applies them in one transaction) into a clear refusal
// to start.
func GuardServe(app core.App, s *hooks.Services, serve *cobra.Command) {
	run := serve.RunE
	serve.RunE = func(c *cobra.Command, args []string) error {
		if err := upgrade(app, s.Env.Now(), os.Stderr); err != nil {
			return err
		}
		return run(c, args)
	}
}

// upgrade backs up and migrates app when migrations are pending.
func upgrade(app core.App, now time.Time, w io.Writer) error {
	plan, err := Plan(app)
	if err != nil {
		return err
	}
	if len(plan.Pending) == 0 {
		return nil
	}
	if !plan.Fresh {
		name := "pre_upgrade_" + now.UTC().Format("20060102_150405") + ".zip"
		fmt.Fprintf(w, "Applying %d migrations; backing up the data dir first as %s.\n", len(plan.Pending), name)
		if err := app.CreateBackup(context.Background(), name); err != nil {
			return fmt.Errorf("the pre-upgrade backup failed, nothing was changed: %w", err)
		}
	}
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("tutorbase did not start: %w.\nEvery migration of this start was rolled back: the data is as it was. "+
			"Serve it with the previous version, or restore the pre-upgrade backup (docs/operations.md, Upgrade)", err)
	}
	return nil
}
