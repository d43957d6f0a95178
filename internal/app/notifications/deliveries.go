package notifications

import (
	"context"
	"errors"
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Delivery statuses: queued → sending (claimed, being sent) → sent | failed;
// skipped when a delivery can never go (no address, stale).
const (
	DeliveryQueued  = "queued"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliverySkipped = "skipped"
)

// Outbox timings.
const (
	deliveryLease    = 2 * time.Minute  // a claim expires after this: the delivery is sent again
	deliveryBatch    = 50               // deliveries claimed at a time
	deliveryBatches  = 40               // batches a run may send: 2,000 a minute at most
	notConfiguredGap = 5 * time.Minute  // a channel without settings is looked at again after this
	deliveryStale    = 48 * time.Hour   // an email still queued this long (no SMTP) is skipped
	deliverTimeout   = 30 * time.Second // one send
)

// queueDeliveries writes, in tx, one delivery per enabled channel u wants
// for notification n (per device for push, a Fanout channel). A channel
// the user wants but cannot be reached on (no confirmed phone, no
// connected Telegram chat) gets a skipped delivery, so staff can see why.
func (s *Service) queueDeliveries(tx core.App, u *contact, n *core.Record, loc *time.Location, now time.Time) error {
	prefs, err := notify.ParsePrefs([]byte(u.Notify), s.channels.Names())
	if err != nil {
		prefs = notify.Prefs{} // validated on write; fall back to the defaults
	}
	quiet, _ := notify.ParseQuietHours(u.QuietStart, u.QuietEnd)
	col, err := tx.FindCachedCollectionByNameOrId("deliveries")
	if err != nil {
		return err
	}
	reach, at := u.reach(), quiet.Deliver(now, loc)
	queue := func(channel, addr, why string) error {
		d := core.NewRecord(col)
		d.Load(map[string]any{"notification": n.Id, "user": u.Id, "channel": channel, "status": DeliveryQueued,
			"next_attempt": at})
		if addr != "" {
			d.Set("recipient", addr)
		} else {
			d.Set("status", DeliverySkipped)
			d.Set("last_error", why)
		}
		return tx.SaveNoValidate(d) // built here, valid by construction
	}
	for _, ch := range s.channels.Outbox() {
		if !prefs.Wants(n.GetString("kind"), ch.Name()) {
			continue
		}
		if fan, ok := ch.(notify.Fanout); ok { // one delivery per device; none without one
			for _, addr := range fan.Addresses(reach) {
				if err := queue(ch.Name(), addr, ""); err != nil {
					return err
				}
			}
			continue
		}
		addr, why := ch.Address(reach)
		if err := queue(ch.Name(), addr, why); err != nil {
			return err
		}
	}
	return nil
}

// DispatchDeliveries is the outbox dispatcher (a job, every minute). It
// takes back claims whose lease ran out (a crash or restart while
// sending), then, a batch at a time until none is due (or deliveryBatches
// were sent), claims the due deliveries in one transaction (queued →
// sending, with a lease), sends them outside any transaction, and records
// each outcome: sent; failed for good (a permanent error, or retries used
// up); or queued again with backoff (after 1, 5, 15, 60, 240 minutes), so
// not again in this run. Each batch's lease starts when it is claimed: now,
// advanced by the time the run has taken.
func (s *Service) DispatchDeliveries(app core.App, now time.Time) error {
	if _, err := app.DB().NewQuery("UPDATE deliveries SET status = 'queued' WHERE status = 'sending' AND lease_until < {:now}").
		Bind(dbx.Params{"now": platform.DBTime(now)}).Execute(); err != nil {
		return err
	}
	began := s.env.Now()
	var errs []error
	for range deliveryBatches {
		at := now.Add(s.env.Now().Sub(began))
		claimed, err := claimDeliveries(app, at)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, d := range claimed {
			if err := s.deliver(app, d, at); err != nil {
				errs = append(errs, err)
			}
		}
		if len(claimed) < deliveryBatch {
			break
		}
	}
	return errors.Join(errs...)
}

func claimDeliveries(app core.App, now time.Time) ([]*core.Record, error) {
	var claimed []*core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		due, err := tx.FindRecordsByFilter("deliveries", "status = 'queued' && next_attempt <= {:now}", "next_attempt", deliveryBatch, 0,
			dbx.Params{"now": platform.DBTime(now)})
		if err != nil {
			return err
		}
		for _, d := range due {
			d.Set("status", DeliverySending)
			d.Set("lease_until", now.Add(deliveryLease))
			if err := tx.SaveNoValidate(d); err != nil { // built here, valid by construction
				return err
			}
		}
		claimed = due
		return nil
	})
	return claimed, err
}

// deliver sends one claimed delivery and records the outcome.
func (s *Service) deliver(app core.App, d *core.Record, now time.Time) error {
	n, err := app.FindRecordById("notifications", d.GetString("notification"))
	if err != nil {
		return finish(app, d, DeliverySkipped, "the notification is gone", now)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deliverTimeout)
	defer cancel()
	providerID, err := s.send(ctx, d, n)
	switch {
	case err == nil:
		d.Set("provider_id", providerID)
		d.Set("sent_at", now)
		return finish(app, d, DeliverySent, "", now)
	case errors.Is(err, notify.ErrNotConfigured):
		if now.Sub(n.GetDateTime("created").Time()) > deliveryStale {
			return finish(app, d, DeliverySkipped, "stale: the channel was not configured in time", now)
		}
		d.Set("next_attempt", now.Add(notConfiguredGap)) // not an attempt: wait for settings
		return finish(app, d, DeliveryQueued, "not configured", now)
	}
	attempts := d.GetInt("attempts") + 1
	d.Set("attempts", attempts)
	if at, ok := notify.DefaultRetry().Next(attempts, now); ok && !notify.IsPermanent(err) {
		d.Set("next_attempt", at)
		return finish(app, d, DeliveryQueued, err.Error(), now)
	}
	return finish(app, d, DeliveryFailed, err.Error(), now)
}

func finish(app core.App, d *core.Record, status, lastError string, now time.Time) error {
	d.Set("status", status)
	d.Set("last_error", oneline.Truncate(lastError, 1000))
	d.Set("lease_until", nil)
	return app.Save(d)
}

// send sends a delivery through its channel; it returns the provider's
// message id when there is one.
func (s *Service) send(ctx context.Context, d, n *core.Record) (string, error) {
	ch, ok := s.channels.Get(d.GetString("channel"))
	if !ok {
		return "", notify.Permanent(errors.New("unknown channel " + d.GetString("channel")))
	}
	return ch.Send(ctx, notify.Outgoing{
		Delivery: d.Id, To: d.GetString("recipient"),
		Subject: n.GetString("title"), Text: n.GetString("body"), HTML: n.GetString("html"), Short: n.GetString("short"),
	})
}

// SMTPSettings is the dashboard's SMTP settings as the email channel
// reads them, at every send; false while SMTP is off. Replies go to the
// school's reply_to_email when set, else to the sender address (a
// no-reply one): never to the person a notification is about.
func SMTPSettings(app core.App) func() (notify.SMTPConfig, bool) {
	return func() (notify.SMTPConfig, bool) {
		s := app.Settings()
		replyTo := s.Meta.SenderAddress
		if school, err := platform.LoadSchool(app); err == nil && school.ReplyTo != "" {
			replyTo = school.ReplyTo
		}
		return notify.SMTPConfig{
			Host: s.SMTP.Host, Port: s.SMTP.Port, Username: s.SMTP.Username, Password: s.SMTP.Password, TLS: s.SMTP.TLS,
			LocalName: s.SMTP.LocalName, AuthMethod: s.SMTP.AuthMethod,
			From: s.Meta.SenderAddress, FromName: s.Meta.SenderName, ReplyTo: replyTo,
		}, s.SMTP.Enabled
	}
}

// RetryDelivery queues a failed or skipped delivery again (staff).
func (s *Service) RetryDelivery(e *core.RequestEvent) error {
	d, err := e.App.FindRecordById("deliveries", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("deliveries", d.Id) // under the write lock
		if err != nil {
			return err
		}
		if s := fresh.GetString("status"); s != DeliveryFailed && s != DeliverySkipped {
			return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "Only a failed or skipped delivery can be retried.")
		}
		fresh.Set("status", DeliveryQueued)
		fresh.Set("attempts", 0)
		fresh.Set("next_attempt", s.env.Now())
		fresh.Set("last_error", "")
		d = fresh
		return tx.Save(fresh)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "delivery.retry", "deliveries", d.Id, nil)
	if err := apis.EnrichRecord(e, d); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, d)
}

// ReadAll marks every unread notification of the caller read
// (record by record, so their other open tabs see it live).
func (s *Service) ReadAll(e *core.RequestEvent) error {
	now := s.env.Now()
	updated := 0
	err := e.App.RunInTransaction(func(tx core.App) error {
		// read under the write lock: two tabs asking at once mark each once
		unread, err := tx.FindRecordsByFilter("notifications", "user = {:user} && read_at = ''", "", 0, 0, dbx.Params{"user": e.Auth.Id})
		if err != nil {
			return err
		}
		for _, n := range unread {
			n.Set("read_at", now)
			if err := tx.Save(n); err != nil {
				return err
			}
		}
		updated = len(unread)
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"updated": updated})
}
