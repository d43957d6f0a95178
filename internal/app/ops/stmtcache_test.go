package ops

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// The kept statements give the answers fresh ones give: run again with new
// arguments, the same query nested inside its own open rows, a constraint
// error and the same statement after it, a schema change between two runs,
// more shapes than the cache keeps while rows are open, and a transaction.
func TestStatementCache(t *testing.T) {
	db, err := DBConnect(filepath.Join(t.TempDir(), "data.db"))
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL UNIQUE)",
		"CREATE TABLE total (n INTEGER)",
		"INSERT INTO total VALUES (0)",
		"CREATE TRIGGER t_add AFTER INSERT ON t BEGIN UPDATE total SET n = n + NEW.n; END",
	} {
		_, err := db.NewQuery(q).Execute()
		require.NoError(t, err, q)
	}
	insert := func(n int) error {
		_, err := db.NewQuery("INSERT INTO t (n) VALUES ({:n})").Bind(dbx.Params{"n": n}).Execute()
		return err
	}
	for n := 1; n <= 10; n++ {
		require.NoError(t, insert(n))
	}
	require.Error(t, insert(3), "UNIQUE: the kept statement reports it")
	require.NoError(t, insert(11), "and runs again after it")
	var total int
	require.NoError(t, db.NewQuery("SELECT n FROM total").Row(&total))
	require.Equal(t, 66, total, "the trigger ran once per row")

	// the same query while its own rows are open, on the transaction's one
	// connection: a fresh statement
	q := "SELECT n FROM t WHERE n > {:min} ORDER BY n"
	var outer []int
	require.NoError(t, db.Transactional(func(tx *dbx.Tx) error {
		rows, err := tx.NewQuery(q).Bind(dbx.Params{"min": 8}).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			require.NoError(t, rows.Scan(&n))
			var inner []int
			require.NoError(t, tx.NewQuery(q).Bind(dbx.Params{"min": n}).Column(&inner))
			require.Len(t, inner, 11-n)
			outer = append(outer, n)
			// more shapes than the cache keeps: it starts again, the open rows go on
			for i := range maxCachedStmts + 1 {
				var one int
				require.NoError(t, tx.NewQuery(fmt.Sprintf("SELECT {:x} + %d", i)).Bind(dbx.Params{"x": 1}).Row(&one))
				require.Equal(t, 1+i, one)
			}
		}
		return rows.Err()
	}))
	require.Equal(t, []int{9, 10, 11}, outer)

	// a schema change between two runs of a kept statement
	_, err = db.NewQuery("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'x'").Execute()
	require.NoError(t, err)
	require.NoError(t, insert(12))
	var note string
	require.NoError(t, db.NewQuery("SELECT note FROM t WHERE n = {:n}").Bind(dbx.Params{"n": 12}).Row(&note))
	require.Equal(t, "x", note)

	// in a transaction, rolled back
	require.Error(t, db.Transactional(func(tx *dbx.Tx) error {
		if _, err := tx.NewQuery("INSERT INTO t (n) VALUES ({:n})").Bind(dbx.Params{"n": 13}).Execute(); err != nil {
			return err
		}
		return fmt.Errorf("undo")
	}))
	var count int
	require.NoError(t, db.NewQuery("SELECT count(*) FROM t WHERE n >= {:n}").Bind(dbx.Params{"n": 13}).Row(&count))
	require.Zero(t, count)
}
