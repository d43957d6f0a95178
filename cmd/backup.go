package cmd

import (
	"fmt"
	"io"
	"os"
	"slices"

	"tutorbase/internal/app/ops"

	"github.com/spf13/cobra"
)

// backupCommand groups the commands about backups.
func backupCommand() *cobra.Command {
	c := &cobra.Command{Use: "backup", Short: "Check PocketBase backups"}
	c.AddCommand(&cobra.Command{
		Use:   "verify FILE",
		Short: "Check that a backup zip can be restored by this binary",
		Long: "Extracts the backup zip (pb_data/backups/*.zip, or one downloaded from the dashboard) into a " +
			"temp dir, runs SQLite's integrity check on its databases, compares its migrations with this " +
			"binary's and counts the records of every collection. Exits 1 when the backup is unsound.",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(c *cobra.Command, args []string) error {
			r, err := ops.VerifyBackup(args[0], os.TempDir())
			printBackupReport(c.OutOrStdout(), r)
			return err
		},
	})
	return c
}

// printBackupReport prints what was found, as far as the check got.
func printBackupReport(w io.Writer, r ops.BackupReport) {
	if r.Integrity != "" {
		fmt.Fprintf(w, "integrity: %s\n", r.Integrity)
	}
	if r.Applied > 0 {
		fmt.Fprintf(w, "migrations: %d applied, %d pending (applied when this binary serves it)\n", r.Applied, len(r.Pending))
		for _, f := range r.Pending {
			fmt.Fprintf(w, "  pending %s\n", f)
		}
	}
	if r.Records == nil {
		return
	}
	names := make([]string, 0, len(r.Records))
	for name := range r.Records {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-28s %d\n", name, r.Records[name])
	}
	fmt.Fprintf(w, "records: %d in %d collections\nok\n", r.Total(), len(r.Records))
}
