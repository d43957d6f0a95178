package ops

import (
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// BackupStats are the outcomes of verifying the backups made since start.
type BackupStats struct {
	Verified, Failed atomic.Int64 // backups verified sound, and not
	LastOK           atomic.Int64 // unix seconds of the last backup verified sound (0: none yet)
}

// Register writes the logs as JSON lines when configured, notes when the
// server starts serving (for readiness) and
// verifies every backup PocketBase stores (the daily one of the
// backup settings, and any made from the dashboard or the API) once it is
// stored; a backup that fails is counted and told to every admin.
func (s *Service) Register(app core.App) {
	s.app = app
	if s.env.Config.LogJSON {
		s.logs.bind(app)
	}
	if s.errsOff != nil {
		app.Logger().Error("error reporting is off", "error", s.errsOff)
	}
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		s.Errors.Flush(2 * time.Second) // what is still queued
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		s.servedAt.Store(s.env.Now().Unix())
		return se.Next()
	})
	app.OnBackupCreate().BindFunc(func(e *core.BackupEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		s.verifyStored(e.App, e.Name)
		return nil
	})
}

// verifyStored copies the stored backup name (local or S3) into the data
// dir's temp folder and verifies it.
func (s *Service) verifyStored(app core.App, name string) {
	tempRoot := filepath.Join(app.DataDir(), core.LocalTempDirName)
	err := copyBackup(app, name, tempRoot, func(path string) error {
		r, err := VerifyBackup(path, tempRoot)
		if err == nil {
			app.Logger().Info("backup verified", "backup", name, "records", r.Total(), "pendingMigrations", len(r.Pending))
		}
		return err
	})
	if err == nil {
		s.Backups.Verified.Add(1)
		s.Backups.LastOK.Store(s.env.Now().Unix())
		return
	}
	s.Backups.Failed.Add(1)
	app.Logger().Error("backup failed verification", "backup", name, "error", err)
	var admins []string
	if qerr := app.DB().Select("id").From("users").Where(dbx.HashExp{"role": platform.RoleAdmin}).Column(&admins); qerr != nil {
		app.Logger().Error("failed to find the admins to tell of a failed backup", "error", qerr)
		return
	}
	s.notes.Notify(app, admins, notify.Event{Kind: notify.KindBackupFailed, Subject: name, Reason: err.Error()},
		map[string]any{"backup": name})
}

// copyBackup copies the backup name out of the backups filesystem into a
// temp file under tempRoot and calls check with its path.
func copyBackup(app core.App, name, tempRoot string, check func(path string) error) error {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	r, err := fsys.GetReader(name)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := os.MkdirAll(tempRoot, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(tempRoot, "tb_backup_*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return check(f.Name())
}
