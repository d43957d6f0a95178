package hooks_test

import (
	"context"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"
	"tutorbase/testkit/mailpittest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// BenchmarkEmailDeliveries: one run of the deliveries job (50 queued
// emails: claimed, rendered, sent over SMTP to a local mailpit, marked
// sent) - what bounds how many messages a second the
// server sends (docs/scaling.md). Reports emails/s within a run.
func BenchmarkEmailDeliveries(b *testing.B) {
	mp := mailpittest.Start(b, config.RequireTestTools())
	app := cast.Clone(b)
	defer app.Cleanup()
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, mp.SMTPHost, mp.SMTPPort
	s.Meta.SenderAddress, s.Meta.SenderName = "school@test.localhost", "Test School"
	require.NoError(b, app.Save(s))
	notes := hookstest.ServicesOf(app).Notifications
	ctx := context.Background()
	var sent int64
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		_, err := app.DB().NewQuery("DELETE FROM deliveries").Execute()
		require.NoError(b, err)
		require.NoError(b, mp.DeleteAll(ctx))
		for i := range 50 {
			notes.Notify(app, []string{cast.Users[hookstest.Admin]}, notify.Event{Kind: notify.KindBackupFailed, Subject: "backup " + string(rune('A'+i%26)), Reason: "disk full"}, map[string]any{"backup": "x"})
		}
		queued, err := app.CountRecords("deliveries", dbx.HashExp{"channel": "email", "status": "queued"})
		require.NoError(b, err)
		if queued == 0 {
			var rows []dbx.NullStringMap
			_ = app.DB().NewQuery("SELECT channel, status, last_error FROM deliveries").All(&rows)
			b.Fatalf("nothing queued: %v", rows)
		}
		b.StartTimer()
		began := time.Now()
		require.NoError(b, notes.DispatchDeliveries(app, time.Now()))
		took += time.Since(began)
		b.StopTimer()
		n, err := app.CountRecords("deliveries", dbx.HashExp{"channel": "email", "status": "sent"})
		require.NoError(b, err)
		require.Equal(b, queued, n, "every queued email sent")
		sent += n
		b.StartTimer()
	}
	b.ReportMetric(float64(sent)/took.Seconds(), "emails/s")
}
