package notify

import (
	"errors"
	"time"
)

// Event kinds. The strings are stored in `notifications.kind` and are the
// keys of `users.notify`, so they never change.
const (
	KindBookingCreated     = "booking_created"
	KindBookingConfirmed   = "booking_confirmed"
	KindBookingCancelled   = "booking_cancelled"
	KindBookingRescheduled = "booking_rescheduled"
	KindReminder           = "reminder"
	KindPaymentReceived    = "payment_received"
	KindRefund             = "refund"
	KindPayout             = "payout"
	KindReviewReceived     = "review_received"
	KindTutorVerified      = "tutor_verified"
	KindCreditsLow         = "credits_low"
	KindPackageExpiring    = "package_expiring"
	KindDigest             = "digest"
	// KindCalendarFeedFailing: a tutor's calendar feed (busy times) has
	// failed several times in a row; Subject is the feed's name.
	KindCalendarFeedFailing = "calendar_feed_failing"
	KindReportMissing       = "report_missing"
	KindHomeworkDone        = "homework_done"
	KindSigninAlert         = "signin_alert"
	// KindBackupFailed: a backup just made failed its verification (admins).
	KindBackupFailed = "backup_failed"
	// KindGoogleDisconnected: Google refused a person's stored consent
	// (access removed in their Google account): the Calendar sync stopped.
	KindGoogleDisconnected = "google_disconnected"
	// KindMeetFailed: Google did not create a lesson's Meet link; the
	// lesson got a Jitsi link instead (JoinURL), and its tutor is told.
	KindMeetFailed = "meet_failed"
	// KindGuardianInvite: someone is invited to be a student's guardian;
	// StudentName is the student, OtherParty who invited them, Link the
	// invitation's accept page. It is emailed to an address, not a user.
	KindGuardianInvite = "guardian_invite"
	// KindSubscriptionFailed: a subscription's payment failed; Subject is
	// the plan, ExpiresAt when its bookings pause if it stays unpaid.
	KindSubscriptionFailed = "subscription_failed"
	// KindMessageUnread: a message waits unread in a conversation for
	// some minutes; OtherParty is who wrote, Subject the conversation's
	// subject (may be empty), Link the conversation's page. The message's
	// text is not repeated: it is read in the web app.
	KindMessageUnread = "message_unread"
	// KindThreadReported: someone reported a conversation to staff;
	// OtherParty is who reported it, Reason their reason, Link its page.
	KindThreadReported = "thread_reported"
	// KindSequence: a follow-up message of one of the school's sequences
	// (welcome, first lesson, win-back, ...); its words are staff's, by
	// language (Texts), with its Unsubscribe link and, for email, the
	// Pixel that counts it opened. Link is its call to action.
	KindSequence = "sequence"
)

// Kinds returns every event kind, in a stable order (a fresh slice the
// caller may keep).
func Kinds() []string {
	return []string{
		KindBookingCreated, KindBookingConfirmed, KindBookingCancelled, KindBookingRescheduled,
		KindReminder, KindPaymentReceived, KindRefund, KindPayout, KindReviewReceived,
		KindTutorVerified, KindCreditsLow, KindPackageExpiring, KindDigest, KindCalendarFeedFailing,
		KindReportMissing, KindHomeworkDone, KindSigninAlert,
		KindBackupFailed, KindGoogleDisconnected, KindMeetFailed, KindGuardianInvite, KindSubscriptionFailed,
		KindMessageUnread, KindThreadReported, KindSequence,
	}
}

// ErrUnknownKind is returned (wrapped) for an event kind that is not one of
// [Kinds], by [Render] and [ParsePrefs].
var ErrUnknownKind = errors.New("unknown notification kind")

// ErrIncomplete is returned (wrapped) by [Render] when an event lacks a
// field its kind cannot be described without, such as a lesson's Start.
var ErrIncomplete = errors.New("incomplete notification event")

// Event is one thing that happened, with the payload its kind needs. Fields
// a kind does not use stay zero. Instants are absolute (store them in UTC);
// [Render] shows them in the recipient's zone.
type Event struct {
	Kind string

	// Start and End are the lesson's instants; OldStart is the previous
	// start of a rescheduled lesson.
	Start, End time.Time
	OldStart   time.Time

	// TutorName and StudentName are the lesson's parties. OtherParty is
	// the name this recipient should read ("your lesson with ..."); set it
	// per recipient. When empty, the party whose name is not the
	// recipient's is used.
	TutorName, StudentName, OtherParty string
	// Subject is the lesson's subject, or the package's title for
	// purchases, credits and expiry; SubjectNames are the subject's names
	// in other languages (by language), when the school gave them.
	Subject      string
	SubjectNames map[string]string

	// JoinURL is the meeting link; every form shows it when set, whatever
	// the kind, so leave it empty where joining makes no sense
	// (cancellations).
	JoinURL string
	// Reason is a cancellation or refund reason, written by a person.
	Reason string
	// LateCancel marks a cancellation inside the cancellation window.
	LateCancel bool
	// Pending marks a booking that waits for the tutor's confirmation
	// (booking_created: "requested" rather than "booked").
	Pending bool

	// Amount is in minor units of Currency (ISO 4217).
	Amount   int64
	Currency string

	// Credits is how many lesson credits are left (credits_low,
	// package_expiring).
	Credits int
	// ExpiresAt is when a package expires (package_expiring).
	ExpiresAt time.Time
	// Rating is a review's stars, 1 to 5 (review_received).
	Rating int
	// Lessons are the week's lessons of a digest, or every lesson of a
	// weekly series just booked (booking_created); each uses Start, End,
	// Subject and the other party (OtherParty, else StudentName, else
	// TutorName).
	Lessons []Event

	// Device and Network describe a sign-in (signin_alert): "Chrome on a
	// Windows computer", "203.0.113.0/24"; its instant is Start.
	Device, Network string

	// Link is the absolute URL of the relevant web-app page.
	Link string
	// Offset is how long before Start a reminder is sent.
	Offset time.Duration

	// Texts are a follow-up's words by language (sequence): the
	// recipient's language, else English. Unsubscribe is the absolute URL
	// that stops the sequence for them, Pixel an image URL that counts an
	// email opened (both first-party, on the school's own address).
	Texts       map[string]Text
	Unsubscribe string
	Pixel       string
}

// Text is a message written by staff: a one-line title and a plain-text
// body (paragraphs separated by blank lines).
type Text struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Recipient is who reads a rendered message and how they read times.
type Recipient struct {
	Name string
	// Locale is a language tag; "it" (also "it-IT", "it_IT") is Italian,
	// anything else English.
	Locale string
	// Location is the recipient's zone; nil means UTC.
	Location *time.Location
}

// Message is an event rendered for one recipient: Title is the
// notification title and email subject (one line), Text the plain-text
// body (in-app notification and email), HTML the email's HTML alternative
// (a whole document), and Short a one-line form of at most [MaxShort]
// characters for SMS, WhatsApp and Telegram. Short ends with the join link,
// else the Link; when too long its text is cut with "…", never the link.
type Message struct {
	Title string
	Text  string
	HTML  string
	Short string
	App   string // the message alone, for the web app: no greeting, no links (it links the lesson itself)
}

// MaxShort is the longest Message.Short, in characters (runes).
const MaxShort = 300
