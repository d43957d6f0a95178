package cmd

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/payouts"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

func payoutsCommand(app *pocketbase.PocketBase, s *hooks.Services) *cobra.Command {
	c := &cobra.Command{Use: "payouts", Short: "Tutor payouts"}
	c.AddCommand(payoutsRunCommand(app, s))
	return c
}

func payoutsRunCommand(app *pocketbase.PocketBase, s *hooks.Services) *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "run --from YYYY-MM-DD --to YYYY-MM-DD",
		Short: "Pay tutors for the lessons of a period (dates in the school's zone, --to exclusive)",
		Long: "Makes one payout per tutor for the lessons of [--from, --to), dates in the school's time zone, at most " +
			fmt.Sprint(payouts.MaxPayoutDays) + " days. Running it again for the same period changes nothing. " +
			"Tutors with a Stripe connected account are paid by transfer; the others wait for an admin to mark them paid.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(c *cobra.Command, args []string) error {
			// the dates are checked before the database is touched
			if _, _, err := payouts.PayoutPeriod(from, to, time.UTC); err != nil {
				return err
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			school, err := platform.LoadSchool(app)
			if err != nil {
				return err
			}
			start, end, err := payouts.PayoutPeriod(from, to, school.Location)
			if err != nil {
				return err
			}
			list, runErr := s.Payouts.RunPayouts(app, start, end, s.Env.Now())
			fmt.Fprintf(c.OutOrStdout(), "Payouts from %s to %s (exclusive), %s:\n", from, to, school.Timezone)
			if err := printPayouts(c.OutOrStdout(), app, list); err != nil {
				return err
			}
			return runErr
		},
	}
	c.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD in the school's zone")
	c.Flags().StringVar(&to, "to", "", "the day after the period's last day, YYYY-MM-DD (exclusive)")
	_ = c.MarkFlagRequired("from")
	_ = c.MarkFlagRequired("to")
	return c
}

// printPayouts writes the payouts as a table, by tutor name.
func printPayouts(out io.Writer, app core.App, list []*core.Record) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(out, "No lessons to pay out.")
		return err
	}
	names := map[string]string{}
	for _, p := range list {
		if t, err := app.FindRecordById("tutors", p.GetString("tutor")); err == nil {
			names[p.Id] = t.GetString("name")
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return names[list[i].Id] < names[list[j].Id] })
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TUTOR\tLESSONS\tGROSS\tCOMMISSION\tNET\tCURRENCY\tSTATUS")
	for _, p := range list {
		cur := p.GetString("currency")
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", names[p.Id], p.GetInt("lessons"),
			payouts.DecimalAmount(int64(p.GetInt("gross")), cur), payouts.DecimalAmount(int64(p.GetInt("commission")), cur),
			payouts.DecimalAmount(int64(p.GetInt("net")), cur), cur, p.GetString("status"))
	}
	return w.Flush()
}
