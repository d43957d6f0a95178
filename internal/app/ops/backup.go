package ops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
)

// BackupReport is what VerifyBackup found in one PocketBase backup zip.
type BackupReport struct {
	Integrity string           // PRAGMA integrity_check of data.db ("ok" when sound)
	Applied   int              // migrations the backup has applied
	Pending   []string         // migrations this binary would apply on restoring it
	Unknown   []string         // migrations the backup has that this binary does not know
	Records   map[string]int64 // records by collection (views left out)
}

// Total is the number of records in every collection.
func (r BackupReport) Total() int64 {
	var n int64
	for _, c := range r.Records {
		n += c
	}
	return n
}

// ErrBackupUnsound is returned (wrapped) when a backup cannot be restored
// by this binary: unreadable, corrupt, or from a newer version.
var ErrBackupUnsound = errors.New("backup failed verification")

// VerifyBackup extracts the backup zip into a new directory under tempRoot
// (removed afterwards), checks its data.db (and auxiliary.db) with PRAGMA
// integrity_check, compares its applied migrations with the ones this
// binary knows, and counts the records of every collection. The report is
// filled as far as the check got.
func VerifyBackup(zipPath, tempRoot string) (BackupReport, error) {
	var r BackupReport
	if err := os.MkdirAll(tempRoot, 0o700); err != nil {
		return r, err
	}
	dir, err := os.MkdirTemp(tempRoot, "tb_verify_")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	if err := archive.Extract(zipPath, dir); err != nil {
		return r, fmt.Errorf("%w: cannot extract %s: %v", ErrBackupUnsound, filepath.Base(zipPath), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data.db")); err != nil {
		return r, fmt.Errorf("%w: no data.db in %s", ErrBackupUnsound, filepath.Base(zipPath))
	}
	db, err := core.DefaultDBConnect(filepath.Join(dir, "data.db"))
	if err != nil {
		return r, fmt.Errorf("%w: %v", ErrBackupUnsound, err)
	}
	defer db.Close()
	if r.Integrity, err = integrity(db); err != nil || r.Integrity != "ok" {
		return r, fmt.Errorf("%w: data.db integrity check: %s%v", ErrBackupUnsound, r.Integrity, errOrNil(err))
	}
	if err := checkAux(filepath.Join(dir, "auxiliary.db")); err != nil {
		return r, err
	}
	if err := compareMigrations(db, &r); err != nil {
		return r, err
	}
	if len(r.Unknown) > 0 {
		return r, fmt.Errorf("%w: made by a newer Tutorbase (migrations this binary does not know: %s)",
			ErrBackupUnsound, strings.Join(r.Unknown, ", "))
	}
	if r.Records, err = countRecords(db); err != nil {
		return r, fmt.Errorf("%w: counting records: %v", ErrBackupUnsound, err)
	}
	return r, nil
}

func errOrNil(err error) string {
	if err == nil {
		return ""
	}
	return " " + err.Error()
}

// integrity is the first line of PRAGMA integrity_check ("ok" when sound).
func integrity(db *dbx.DB) (string, error) {
	var rows []struct {
		Line string `db:"integrity_check"`
	}
	if err := db.NewQuery("PRAGMA integrity_check").All(&rows); err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return "", errors.New("no answer")
	}
	return rows[0].Line, nil
}

// checkAux checks the logs database when the backup has one.
func checkAux(path string) error {
	if _, err := os.Stat(path); err != nil {
		return nil // logs are optional
	}
	aux, err := core.DefaultDBConnect(path)
	if err != nil {
		return fmt.Errorf("%w: auxiliary.db: %v", ErrBackupUnsound, err)
	}
	defer aux.Close()
	if res, err := integrity(aux); err != nil || res != "ok" {
		return fmt.Errorf("%w: auxiliary.db integrity check: %s%v", ErrBackupUnsound, res, errOrNil(err))
	}
	return nil
}

// compareMigrations fills r's Applied, Pending and Unknown from the
// backup's _migrations table and the migrations compiled in.
func compareMigrations(db *dbx.DB, r *BackupReport) error {
	var applied []string
	if err := db.NewQuery("SELECT file FROM _migrations").Column(&applied); err != nil {
		return fmt.Errorf("%w: no migrations table: %v", ErrBackupUnsound, err)
	}
	r.Applied = len(applied)
	known := KnownMigrations()
	for _, f := range known {
		if !slices.Contains(applied, f) {
			r.Pending = append(r.Pending, f)
		}
	}
	for _, f := range applied {
		if !slices.Contains(known, f) {
			r.Unknown = append(r.Unknown, f)
		}
	}
	slices.Sort(r.Unknown)
	return nil
}

// KnownMigrations are the files of every migration compiled into this
// binary: PocketBase's system ones, then the app's.
func KnownMigrations() []string {
	var files []string
	for _, list := range []core.MigrationsList{core.SystemMigrations, core.AppMigrations} {
		for _, m := range list.Items() {
			files = append(files, m.File)
		}
	}
	return files
}

// countRecords counts the rows of every collection that is a table.
func countRecords(db *dbx.DB) (map[string]int64, error) {
	var names []string
	if err := db.NewQuery("SELECT name FROM _collections WHERE type != 'view' ORDER BY name").Column(&names); err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(names))
	for _, name := range names {
		var n int64
		if err := db.NewQuery("SELECT COUNT(*) FROM {{" + name + "}}").Row(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = n
	}
	return out, nil
}
