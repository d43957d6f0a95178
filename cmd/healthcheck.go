package cmd

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCommand asks a running server whether it answers: the
// container image's HEALTHCHECK (the runtime image has no curl).
func healthcheckCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when the server at --url answers 200 (the container's HEALTHCHECK)",
		Long: "GETs --url (default /api/health of a server on 127.0.0.1:8090) and exits 0 on a 200 answer, 1 " +
			"otherwise. Use /api/ready for a check of the database, migrations and jobs.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		Annotations:  map[string]string{NoBootstrap: "true"},
		RunE: func(c *cobra.Command, args []string) error {
			client := &http.Client{Timeout: timeout}
			res, err := client.Get(url)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s answered %s", url, res.Status)
			}
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", "http://127.0.0.1:8090/api/health", "the address to ask")
	c.Flags().DurationVar(&timeout, "timeout", 4*time.Second, "how long to wait for the answer")
	return c
}

// NoBootstrap is the annotation of commands that need no data dir (main
// does not bootstrap the app for them).
const NoBootstrap = "tutorbase-no-bootstrap"
