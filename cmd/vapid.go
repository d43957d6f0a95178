package cmd

import (
	"fmt"

	webpush "github.com/SherClockHolmes/webpush-go"
	"github.com/spf13/cobra"
)

// vapidCommand groups the commands of the school's Web Push keys.
func vapidCommand() *cobra.Command {
	c := &cobra.Command{Use: "vapid", Short: "Web Push (VAPID) keys"}
	c.AddCommand(&cobra.Command{
		Use:   "generate",
		Short: "Print a new VAPID key pair for TB_VAPID_PUBLIC_KEY and TB_VAPID_PRIVATE_KEY",
		Long: "Prints a new P-256 key pair, base64url, as two environment lines. Set them once and keep them: " +
			"browsers subscribe with the public key, so a new pair makes every device turn push on again. " +
			"The private key is a secret.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(c *cobra.Command, args []string) error {
			private, public, err := webpush.GenerateVAPIDKeys()
			if err != nil {
				return fmt.Errorf("failed to generate the keys: %w", err)
			}
			_, err = fmt.Fprintf(c.OutOrStdout(), "TB_VAPID_PUBLIC_KEY=%s\nTB_VAPID_PRIVATE_KEY=%s\n", public, private)
			return err
		},
	})
	return c
}
