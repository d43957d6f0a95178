package main

import (
	"testing"
	"time"

	"tutorbase/internal/app/ops"
	"tutorbase/internal/config"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestQueryTimeoutDefault checks that the query timeout of the
// configuration becomes the default of PocketBase's --queryTimeout flag
// (PocketBase's own default is 30 s).
func TestQueryTimeoutDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cfg  config.Config
		want string
	}{
		{config.Config{}, "5"},
		{config.Config{QueryTimeout: 12 * time.Second}, "12"},
	} {
		app := newApp(tt.cfg)
		f := app.RootCmd.PersistentFlags().Lookup("queryTimeout")
		if f == nil {
			t.Fatal("PocketBase has no --queryTimeout flag")
		}
		if f.DefValue != tt.want {
			t.Errorf("--queryTimeout defaults to %s, want %s", f.DefValue, tt.want)
		}
	}
}

// TestServerWALLimit checks that the server's databases are opened by
// ops.DBConnect: the WAL is trimmed back to ops.WALSizeLimit, not kept at
// its high-water mark.
func TestServerWALLimit(t *testing.T) {
	t.Chdir(t.TempDir()) // its pb_data (a test binary counts as go run)
	app := newApp(config.Config{})
	require.NoError(t, app.Bootstrap())
	require.DirExists(t, "pb_data")
	defer app.ResetBootstrapState()
	for name, db := range map[string]dbx.Builder{"data.db": app.DB(), "auxiliary.db": app.AuxDB()} {
		var limit int
		require.NoError(t, db.NewQuery("PRAGMA journal_size_limit").Row(&limit), name)
		require.Equal(t, ops.WALSizeLimit, limit, name)
	}
}
