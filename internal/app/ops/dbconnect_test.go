package ops

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// Every setting of PocketBase's own connection is kept, on a connection of
// the pool, but the size the WAL is trimmed to.
func TestDBConnectIsPocketBasesButTheWALLimit(t *testing.T) {
	settings := func(db *dbx.DB) map[string]string {
		got := map[string]string{}
		for _, p := range []string{"busy_timeout", "journal_mode", "journal_size_limit", "synchronous", "foreign_keys", "temp_store", "cache_size"} {
			var v string
			require.NoError(t, db.NewQuery("PRAGMA "+p).Row(&v), p)
			got[p] = v
		}
		return got
	}
	dir := t.TempDir()
	pbs, err := core.DefaultDBConnect(filepath.Join(dir, "pb.db"))
	require.NoError(t, err)
	defer pbs.Close()
	ours, err := DBConnect(filepath.Join(dir, "ours.db"))
	require.NoError(t, err)
	defer ours.Close()

	want := settings(pbs)
	require.Equal(t, "200000000", want["journal_size_limit"], "PocketBase's limit: if it changed, look again at ours")
	want["journal_size_limit"] = fmt.Sprint(WALSizeLimit)
	require.Equal(t, want, settings(ours))
}
