package hookstest

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// QueryLog records every SQL statement an app runs on its data database,
// through dbx's log hooks on both of its connection pools, so a test can
// tell that a request ran no query of some kind.
type QueryLog struct {
	mu  sync.Mutex
	sql []string
}

// LogQueries starts recording app's statements. Call it before serving
// requests: dbx copies the hooks into each query it builds.
func LogQueries(app core.App) *QueryLog {
	l := &QueryLog{}
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		db := b.(*dbx.DB)
		db.QueryLogFunc = func(_ context.Context, _ time.Duration, sql string, _ *sql.Rows, _ error) { l.add(sql) }
		db.ExecLogFunc = func(_ context.Context, _ time.Duration, sql string, _ sql.Result, _ error) { l.add(sql) }
	}
	return l
}

func (l *QueryLog) add(s string) {
	l.mu.Lock()
	l.sql = append(l.sql, s)
	l.mu.Unlock()
}

// Mark is the number of statements recorded so far.
func (l *QueryLog) Mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.sql)
}

// Since returns the statements recorded after mark.
func (l *QueryLog) Since(mark int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.sql[mark:]...)
}
