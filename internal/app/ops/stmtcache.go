package ops

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
)

// maxCachedStmts bounds the statements a connection keeps prepared; past
// it the cache starts again (a school's writes are a few dozen shapes).
const maxCachedStmts = 64

// Neither database/sql nor PocketBase keeps statements prepared: every
// INSERT or UPDATE of a record is compiled again, and SQLite compiles the
// table's triggers into each one (the overlap backstops and the reports'
// totals on bookings: a quarter of the server's CPU under a booking load,
// docs/benchmarks.md). The connections opened here keep each executed
// statement that has arguments prepared, keyed by its text, and run it
// again with the new arguments; SQLite re-prepares one by itself when the
// schema changes. modernc's statements reset and clear their bindings
// after each run, which is what makes them reusable.

// cachingConnector opens the driver's connections wrapped in cachingConn.
type cachingConnector struct {
	drv driver.Driver
	dsn string
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]driver.Stmt{}, busy: map[string]bool{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// openCaching opens dsn with the driver registered as name, its
// connections keeping their statements prepared.
func openCaching(name, dsn string) (*sql.DB, error) {
	probe, err := sql.Open(name, "")
	if err != nil {
		return nil, err
	}
	drv := probe.Driver() // the registered driver, with whatever functions it carries
	if err := probe.Close(); err != nil {
		return nil, err
	}
	return sql.OpenDB(cachingConnector{drv: drv, dsn: dsn}), nil
}

// cachingConn is one SQLite connection (database/sql never uses one from
// two goroutines at once) with its prepared statements.
type cachingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
	busy  map[string]bool // a query's statement whose rows are still open
}

// The interfaces of modernc's connection that database/sql looks for.
var (
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)

// stmt is query's kept statement, prepared now the first time; nil when
// it is not to be kept: no arguments (DDL, pragmas), or its statement
// is running already (rows of it still open on this connection).
func (c *cachingConn) stmt(ctx context.Context, query string, args []driver.NamedValue) (driver.Stmt, error) {
	if len(args) == 0 || c.busy[query] {
		return nil, nil
	}
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= maxCachedStmts {
		if err := c.closeStmts(); err != nil {
			return nil, errors.Join(err, st.Close())
		}
	}
	c.stmts[query] = st
	return st, nil
}

// drop forgets a statement that failed: it is prepared afresh next time.
func (c *cachingConn) drop(query string, st driver.Stmt, err error) error {
	delete(c.stmts, query)
	return errors.Join(err, st.Close())
}

// closeStmts closes the kept statements but those whose rows are open
// (their rows close them).
func (c *cachingConn) closeStmts() error {
	var errs []error
	for q, st := range c.stmts {
		if !c.busy[q] {
			errs = append(errs, st.Close())
		}
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := c.stmt(ctx, query, args)
	switch {
	case err != nil:
		return nil, err
	case st == nil:
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	if err != nil {
		return nil, c.drop(query, st, err)
	}
	return res, nil
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.stmt(ctx, query, args)
	switch {
	case err != nil:
		return nil, err
	case st == nil:
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, c.drop(query, st, err)
	}
	c.busy[query] = true
	return &cachedRows{rows: rows.(sqliteRows), done: func() error {
		delete(c.busy, query)
		if c.stmts[query] != st { // the cache started again meanwhile
			return st.Close()
		}
		return nil
	}}, nil
}

// Close closes the kept statements, then the connection.
func (c *cachingConn) Close() error {
	return errors.Join(c.closeStmts(), c.Conn.Close())
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// sqliteRows is what modernc's rows offer database/sql (ColumnTypes).
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedRows are the rows of a kept statement: closing them resets the
// statement (modernc) and frees it for the next query.
type cachedRows struct {
	rows sqliteRows
	done func() error
}

func (r *cachedRows) Columns() []string              { return r.rows.Columns() }
func (r *cachedRows) Next(dest []driver.Value) error { return r.rows.Next(dest) }
func (r *cachedRows) Close() error                   { return errors.Join(r.rows.Close(), r.done()) }
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.rows.ColumnTypeDatabaseTypeName(i)
}
func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) { return r.rows.ColumnTypeLength(i) }
func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	return r.rows.ColumnTypeNullable(i)
}
func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.rows.ColumnTypePrecisionScale(i)
}
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type { return r.rows.ColumnTypeScanType(i) }
