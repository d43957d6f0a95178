package hooks_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/ops"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestBackupsAreVerified: every backup PocketBase stores (the daily one,
// the dashboard's) is extracted and checked at once; a sound one counts as
// verified with every record there, one this binary could not restore (made
// by a newer version: a migration it does not know) is counted as failed
// and told to the admins, in their language.
func TestBackupsAreVerified(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	svc := hookstest.ServicesOf(app)
	backupNotes := func() int64 {
		n, err := app.CountRecords("notifications", dbx.HashExp{"kind": notify.KindBackupFailed})
		require.NoError(t, err)
		return n
	}

	require.NoError(t, app.CreateBackup(context.Background(), "good.zip"))
	require.EqualValues(t, 1, svc.Ops.Backups.Verified.Load())
	require.EqualValues(t, 0, svc.Ops.Backups.Failed.Load())
	require.Equal(t, cast.Now().Unix(), svc.Ops.Backups.LastOK.Load())
	require.Zero(t, backupNotes())

	r, err := ops.VerifyBackup(filepath.Join(app.DataDir(), "backups", "good.zip"), t.TempDir())
	require.NoError(t, err)
	require.Equal(t, "ok", r.Integrity)
	require.Empty(t, r.Pending, "the backup has every migration of this binary")
	users, err := app.CountRecords("users")
	require.NoError(t, err)
	require.Equal(t, users, r.Records["users"])
	bookings, err := app.CountRecords("bookings")
	require.NoError(t, err)
	require.Equal(t, bookings, r.Records["bookings"])

	_, err = app.DB().Insert("_migrations", dbx.Params{"file": "1999999999_from_a_newer_version.go", "applied": 1}).Execute()
	require.NoError(t, err)
	require.NoError(t, app.CreateBackup(context.Background(), "newer.zip"), "the backup itself is kept")
	require.EqualValues(t, 1, svc.Ops.Backups.Failed.Load())
	require.EqualValues(t, 1, svc.Ops.Backups.Verified.Load())
	var note struct {
		User  string `db:"user"`
		Title string `db:"title"`
		Body  string `db:"body"`
	}
	require.NoError(t, app.DB().Select("user", "title", "body").From("notifications").
		Where(dbx.HashExp{"kind": notify.KindBackupFailed}).One(&note))
	require.Equal(t, cast.Users[hookstest.Admin], note.User)
	require.Equal(t, "Un backup della scuola non ha superato il controllo", note.Title)
	require.Contains(t, note.Body, "newer.zip")
	require.Contains(t, note.Body, "1999999999_from_a_newer_version.go")
	require.EqualValues(t, 1, backupNotes(), "only the admins are told")
}

// TestVerifyBackupRefusesCorruptData: a zip whose data.db is not a sound
// SQLite database, or that has none, fails verification.
func TestVerifyBackupRefusesCorruptData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, files map[string][]byte) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		require.NoError(t, err)
		zw := zip.NewWriter(f)
		for n, b := range files {
			w, err := zw.Create(n)
			require.NoError(t, err)
			_, err = w.Write(b)
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		require.NoError(t, f.Close())
		return path
	}
	app := cast.Clone(t)
	require.NoError(t, app.CreateBackup(context.Background(), "sound.zip"))
	sound, err := os.ReadFile(filepath.Join(app.DataDir(), "backups", "sound.zip"))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytesReaderAt(sound), int64(len(sound)))
	require.NoError(t, err)
	var db []byte
	for _, f := range zr.File {
		if f.Name == "data.db" {
			rc, err := f.Open()
			require.NoError(t, err)
			db = readAll(t, rc)
		}
	}
	require.NotEmpty(t, db)
	// a page in the middle overwritten: the header still reads, the b-trees do not
	mid := len(db) / 2 / 4096 * 4096
	broken := append([]byte{}, db...)
	for i := mid; i < mid+4096 && i < len(broken); i++ {
		broken[i] = 0x5a
	}
	for name, files := range map[string]map[string][]byte{
		"nodb.zip":    {"storage/x.txt": []byte("x")},
		"garbage.zip": {"data.db": []byte("this is not a database")},
		"broken.zip":  {"data.db": broken},
	} {
		_, err := ops.VerifyBackup(write(name, files), t.TempDir())
		require.ErrorIs(t, err, ops.ErrBackupUnsound, name)
	}
	_, err = ops.VerifyBackup(write("copy.zip", map[string][]byte{"data.db": db}), t.TempDir())
	require.NoError(t, err, "the same database unbroken passes")
}

func bytesReaderAt(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func readAll(t *testing.T, rc io.ReadCloser) []byte {
	t.Helper()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}
