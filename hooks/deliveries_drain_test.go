package hooks_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"
	"tutorbase/testkit/mailpittest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// One run of the deliveries job sends every due email, a batch of 50 at a
// time, not just the first batch: a reminder to 130 families goes out in
// one minute, not three.
func TestOneDispatchSendsEveryDueEmail(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t, config.RequireTestTools())
	app := cast.Clone(t)
	defer app.Cleanup()
	useMailpit(t, app, mp)
	clearDeliveries(t, app)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, mp.DeleteAll(ctx))
	notes := hookstest.ServicesOf(app).Notifications
	const many = 130
	for i := range many {
		notes.Notify(app, []string{cast.Users[hookstest.Admin]}, notify.Event{Kind: notify.KindBackupFailed, Subject: fmt.Sprintf("backup %d", i), Reason: "disk full"}, map[string]any{"backup": "x"})
	}
	queued, err := app.CountRecords("deliveries", dbx.HashExp{"channel": "email", "status": "queued"})
	require.NoError(t, err)
	require.EqualValues(t, many, queued)

	require.NoError(t, notes.DispatchDeliveries(app, time.Now()))
	sent, err := app.CountRecords("deliveries", dbx.HashExp{"channel": "email", "status": "sent"})
	require.NoError(t, err)
	require.EqualValues(t, many, sent, "one run sends them all")
	list, err := mp.WaitMessages(ctx, many)
	require.NoError(t, err)
	require.Len(t, list, many)
}
