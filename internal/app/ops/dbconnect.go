package ops

import "github.com/pocketbase/dbx"

// WALSizeLimit is the size SQLite trims the write-ahead log back to when
// it starts it again from the top after a checkpoint (journal_size_limit):
// four times an automatic checkpoint's 1,000 pages, so ordinary cycles
// never trim, while a file that a long reader made grow shrinks again
// instead of keeping its high-water mark for good. PocketBase's own is
// 200 MB, which a school never reaches: its WAL file only ever grew
// (docs/operations.md, Replication).
const WALSizeLimit = 16 << 20

// dbPragmas are PocketBase's (core.DefaultDBConnect, v0.39), in its order
// (busy_timeout first), with WALSizeLimit as journal_size_limit.
// TestDBConnectIsPocketBasesButTheWALLimit holds them to PocketBase's.
const dbPragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(16777216)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

// DBConnect opens data.db and auxiliary.db for the server
// (pocketbase.Config.DBConnect): PocketBase's connection with a WAL that
// does not keep its high-water mark, whose connections keep the
// statements they run prepared (stmtcache.go).
func DBConnect(dbPath string) (*dbx.DB, error) {
	db, err := openCaching("sqlite", dbPath+dbPragmas)
	if err != nil {
		return nil, err
	}
	return dbx.NewFromDB(db, "sqlite"), nil
}
