// Package notify is the pure part of Tutorbase's notifications: event
// kinds, their Italian and English templates, rendering, per-user channel
// preferences, quiet hours, the retry policy of deliveries, and the clients
// of the channels that leave the server (SMTP email, Twilio SMS and
// WhatsApp, Telegram, Web Push).
//
// The hooks turn a domain event into one `notifications` record per
// recipient ([Render] gives its title and body) and one `deliveries` record
// per channel the recipient wants ([Prefs.Wants]), due at
// [QuietHours.Deliver]. The dispatcher job later sends each due delivery
// through its channel client and, when that fails, asks [Retry.Next] when to
// try again; an error marked with [Permanent] is not retried, and
// [ErrNotConfigured] means the channel is switched off (leave the delivery
// queued, do not count an attempt).
//
// # Templates
//
// Templates are embedded from templates/<locale>/: layout.tmpl holds the
// parts shared by every kind of a locale (greeting, join link, details
// link, the HTML page), and <kind>.tmpl (one file per kind per locale,
// e.g. templates/it/reminder.tmpl) defines the blocks "title", "text",
// "short" and "html". Title, Text and Short are executed with text/template,
// HTML with html/template (names and reasons are escaped there). A kind
// missing in the recipient's locale falls back to English; English must
// have every kind. The data the templates see is the view type of
// render.go: times and amounts already formatted for the recipient.
//
// # Time
//
// The domain functions never read the clock: those that need "now" take it
// as a parameter. Only the channel clients do, to bound their calls by a
// deadline (and an email's Date header is when it was sent). Times are
// shown in the recipient's zone with the zone named,
// and wall-clock computations (quiet hours) resolve a DST gap forward and
// an ambiguous hour to its earlier instant, as the scheduler does.
//
// # Tests
//
// The SMTP client is tested against a real mailpit started by the
// test-support package tutorbase/testkit/mailpittest, which other
// packages' tests may use too.
package notify
