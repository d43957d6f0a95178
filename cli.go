package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"tutorbase/cmd"
	"tutorbase/hooks"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	pbcmd "github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"
)

// run adds PocketBase's own commands (serve, superuser) as app.Start does
// and executes the command line. It returns the command's error, so main
// exits non-zero on it: PocketBase v0.39's Execute prints a command's error
// and then drops it, and a failed `serve` (a busy port), an unknown
// command or a refused `seed` would otherwise exit 0, which scripts and
// systemd read as success.
func run(app *pocketbase.PocketBase, s *hooks.Services, args []string) error {
	app.RootCmd.AddCommand(pbcmd.NewSuperuserCommand(app))
	serve := pbcmd.NewServeCommand(app, true)
	cmd.GuardServe(app, s, serve) // a backup before pending migrations, a clear refusal when one fails
	app.RootCmd.AddCommand(serve)
	return execute(app, args)
}

// execute is pocketbase.Execute (v0.39.11) keeping the command's error:
// bootstrap unless the command needs none, run the command, stop on
// SIGINT or SIGTERM, then the app's terminate hooks.
func execute(app *pocketbase.PocketBase, args []string) error {
	if !skipBootstrap(app, args) {
		if err := app.Bootstrap(); err != nil {
			fmt.Fprintln(os.Stderr, "Error:", err)
			return err
		}
	}
	done := make(chan error, 2)
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		done <- nil
	}()
	go func() {
		_, err := app.RootCmd.ExecuteC() // prints its own error
		done <- err
	}()
	err := <-done
	event := &core.TerminateEvent{App: app}
	if terr := app.OnTerminate().Trigger(event, func(e *core.TerminateEvent) error {
		return e.App.ResetBootstrapState()
	}); terr != nil && err == nil {
		fmt.Fprintln(os.Stderr, "Error:", terr)
		err = terr
	}
	return err
}

// skipBootstrap is PocketBase's rule: no bootstrap for an unknown command
// or a help or version flag of the root.
func skipBootstrap(app *pocketbase.PocketBase, args []string) bool {
	if app.IsBootstrapped() {
		return true
	}
	c, _, err := app.RootCmd.Find(args)
	if err != nil || c.Annotations[cmd.NoBootstrap] != "" {
		return true
	}
	for _, arg := range args {
		if !slices.Contains([]string{"-h", "--help", "-v", "--version"}, arg) {
			continue
		}
		name := strings.TrimLeft(arg, "-")
		if len(name) > 1 && c.Flags().Lookup(name) == nil || len(name) == 1 && c.Flags().ShorthandLookup(name) == nil {
			return true
		}
	}
	return false
}

// noSuperuserHint says, when the dashboard has no superuser yet, how to
// create one: PocketBase's installer link is switched off (main), so
// without this a fresh server only answers "Failed to authenticate.".
func noSuperuserHint(app core.App, w io.Writer, binary string) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM {{" + core.CollectionNameSuperusers + "}} WHERE email != {:installer}").
		Bind(dbx.Params{"installer": core.DefaultInstallerEmail}).Row(&n)
	if err != nil || n > 0 {
		return
	}
	dir, err := filepath.Abs(app.DataDir())
	if err != nil {
		dir = app.DataDir()
	}
	fmt.Fprintf(w, "\nNo superuser yet: nobody can sign in to the dashboard (/_/). Create the school owner's account with:\n\n"+
		"  %s superuser upsert EMAIL PASSWORD --dir %s\n\n", shellWord(binary), shellWord(dir))
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
