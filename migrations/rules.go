// Package migrations is Tutorbase's schema: every collection, field, index,
// API rule and default setting, as typed Go migrations applied on `serve`,
// `migrate up` and in tests.
//
// API rules are the first gate (who may read or write what); business rules
// live in Go hooks. The rules are built from the named constants below and
// each is pinned by a role × action test table in hooks/.
package migrations

import "strings"

// Building blocks of the API rules. Superusers bypass every rule.
//
// isAdmin is a placeholder, rendered (RenderRule) into a comparison of the
// caller's id with the ids of the users whose role is admin: PocketBase
// resolves @request.auth.id without a query, but any other auth field
// (such as @request.auth.role) becomes a join with users and a SELECT
// DISTINCT, which stops SQLite from using the indexes of a list and made
// "my bookings" scan every booking. The hooks re-render every collection's
// rules whenever the set of admins changes (and at start), in the same
// transaction as the change. isTutor and isStudent stay joins: they guard
// creates, which read one row.
const (
	signedIn  = "@request.auth.id != ''"
	isAdmin   = StaffPlaceholder
	isTutor   = "@request.auth.role = 'tutor'"
	isStudent = "@request.auth.role = 'student'"
)

// StaffPlaceholder stands for "the caller is an admin" in rule templates.
const StaffPlaceholder = "{staff}"

// RenderRule replaces the staff placeholder of a rule template with a test
// of the caller's id against the admins' ids (never true without admins).
func RenderRule(template string, admins []string) string {
	test := "@request.auth.id = '-'" // no record id is "-"
	if len(admins) > 0 {
		ids := make([]string, len(admins))
		for i, id := range admins {
			ids[i] = "@request.auth.id = '" + id + "'"
		}
		test = "(@request.auth.collectionName = 'users' && (" + strings.Join(ids, " || ") + "))"
	}
	return strings.ReplaceAll(template, StaffPlaceholder, test)
}

// RuleSet is one collection's API rule templates; nil means superusers
// only.
type RuleSet struct {
	List, View, Create, Update, Delete, Manage *string
}

func tmpl(s string) *string { return &s }

// RuleSets are the current rules of every Tutorbase collection (the
// migrations wrote earlier versions; these win): the hooks render them with
// the admins' ids into the collections. Edit rules here, not in the
// dashboard: a dashboard edit is overwritten at the next start.
var RuleSets = map[string]RuleSet{
	"users":              {tmpl(RuleUsersViewFamily), tmpl(RuleUsersViewFamily), tmpl(RuleUsersCreateFamily), tmpl(RuleUsersUpdate), tmpl(RuleUsersDelete), tmpl(RuleUsersManage)},
	"school":             {tmpl(RuleSchoolView), tmpl(RuleSchoolView), nil, tmpl(RuleSchoolUpdate), nil, nil},
	"subjects":           {tmpl(RuleSubjectsView), tmpl(RuleSubjectsView), tmpl(RuleSubjectsWrite), tmpl(RuleSubjectsWrite), tmpl(RuleSubjectsWrite), nil},
	"tutors":             {tmpl(RuleTutorsView), tmpl(RuleTutorsView), tmpl(RuleTutorsCreate), tmpl(RuleTutorsUpdate), tmpl(RuleTutorsDelete), nil},
	"students":           {tmpl(RuleStudentsViewFamily), tmpl(RuleStudentsViewFamily), tmpl(RuleStudentsCreate), tmpl(RuleStudentsUpdateFamily), tmpl(RuleStudentsDelete), nil},
	"availability":       {tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedCreate), tmpl(RuleTutorOwnedWrite), tmpl(RuleTutorOwnedWrite), nil},
	"time_off":           {tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedCreate), tmpl(RuleTutorOwnedWrite), tmpl(RuleTutorOwnedWrite), nil},
	"calendar_feeds":     {tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedCreate), tmpl(RuleTutorOwnedWrite), tmpl(RuleTutorOwnedWrite), nil},
	"busy_times":         {tmpl(RuleTutorOwnedView), tmpl(RuleTutorOwnedView), nil, nil, nil, nil},
	"google_links":       {nil, nil, nil, nil, nil, nil}, // the server's: GET /api/google/calendar shows your own
	"google_events":      {nil, nil, nil, nil, nil, nil},
	"packages":           {tmpl(RulePackagesViewWithBuyers), tmpl(RulePackagesViewWithBuyers), tmpl(RulePackagesCreate), tmpl(RulePackagesUpdate), tmpl(RulePackagesDelete), nil},
	"purchases":          {tmpl(RulePurchasesViewPayer), tmpl(RulePurchasesViewPayer), nil, nil, nil, nil},
	"series":             {tmpl(RuleBookingsViewFamily), tmpl(RuleBookingsViewFamily), nil, nil, nil, nil},
	"bookings":           {tmpl(RuleBookingsList), tmpl(RuleBookingsViewFamily), tmpl(RuleBookingsCreate), tmpl(RuleBookingsViewFamily), nil, nil},
	"payments":           {tmpl(RuleMoneyViewFamily), tmpl(RuleMoneyViewFamily), nil, nil, nil, nil},
	"invoices":           {tmpl(RuleMoneyViewFamily), tmpl(RuleMoneyViewFamily), nil, nil, nil, nil},
	"payouts":            {tmpl(RulePayoutsView), tmpl(RulePayoutsView), nil, nil, nil, nil},
	"refunds":            {tmpl(RuleRefundsView), tmpl(RuleRefundsView), nil, nil, nil, nil},
	"credit_ledger":      {tmpl(RuleLedgerViewFamily), tmpl(RuleLedgerViewFamily), nil, nil, nil, nil},
	"reviews":            {tmpl(RuleReviewsView), tmpl(RuleReviewsView), tmpl(RuleReviewsCreate), tmpl(RuleReviewsUpdate), tmpl(RuleReviewsDelete), nil},
	"materials":          {tmpl(RuleMaterialsView), tmpl(RuleMaterialsView), tmpl(RuleMaterialsCreate), tmpl(RuleMaterialsUpdate), tmpl(RuleMaterialsWrite), nil},
	"lesson_reports":     {tmpl(RuleLessonReportsViewFamily), tmpl(RuleLessonReportsViewFamily), tmpl(RuleLessonReportsCreate), tmpl(RuleLessonReportsUpdate), tmpl(RuleLessonReportsDelete), nil},
	"tutor_notes":        {tmpl(RuleTutorNotesView), tmpl(RuleTutorNotesView), tmpl(RuleTutorNotesCreate), tmpl(RuleTutorNotesWrite), tmpl(RuleTutorNotesWrite), nil},
	"material_downloads": {tmpl(RuleMaterialDownloadsView), tmpl(RuleMaterialDownloadsView), nil, nil, nil, nil},
	"notifications":      {tmpl(RuleNotificationsView), tmpl(RuleNotificationsViewOne), nil, tmpl(RuleNotificationsWrite), tmpl(RuleNotificationsWrite), nil},
	"deliveries":         {tmpl(RuleDeliveriesView), tmpl(RuleDeliveriesView), nil, nil, nil, nil},
	"push_subscriptions": {tmpl(RulePushSubscriptionsOwn), tmpl(RulePushSubscriptionsOwn), nil, nil, tmpl(RulePushSubscriptionsOwn), nil},
	"audit_log":          {tmpl(RuleAuditView), tmpl(RuleAuditView), nil, nil, nil, nil},
	"stripe_events":      {},
	"login_attempts":     {},
	"contact_proofs":     {},
	"report_reminders":   {},
	"sessions":           {tmpl(RuleSessionsView), tmpl(RuleSessionsView), nil, nil, nil, nil},
	"flags":              {tmpl(RuleFlagsView), tmpl(RuleFlagsView), nil, nil, nil, nil},
	"coupons":            {tmpl(RuleCouponsManage), tmpl(RuleCouponsManage), tmpl(RuleCouponsManage), tmpl(RuleCouponsManage), tmpl(RuleCouponsManage), nil},
	"coupon_redemptions": {tmpl(RuleCouponRedemptionsView), tmpl(RuleCouponRedemptionsView), nil, nil, nil, nil},
	"billing_details":    {tmpl(RuleBillingDetailsOwn), tmpl(RuleBillingDetailsOwn), tmpl(RuleBillingDetailsCreate), tmpl(RuleBillingDetailsOwn), nil, nil},
	"guardians":          {tmpl(RuleGuardiansView), tmpl(RuleGuardiansView), nil, nil, nil, nil},
	"faq":                {tmpl(RuleFAQView), tmpl(RuleFAQView), tmpl(RuleFAQWrite), tmpl(RuleFAQWrite), tmpl(RuleFAQWrite), nil},
	"unmet_demand":       {},
	"assistant_questions": {tmpl(RuleAssistantQuestions), tmpl(RuleAssistantQuestions), nil, tmpl(RuleAssistantQuestions),
		tmpl(RuleAssistantQuestions), nil},
	"plans":         {tmpl(RulePlansView), tmpl(RulePlansView), tmpl(RulePlansManage), tmpl(RulePlansManage), tmpl(RulePlansManage), nil},
	"subscriptions": {tmpl(RuleSubscriptionsView), tmpl(RuleSubscriptionsView), nil, nil, nil, nil},
	"threads":       {tmpl(RuleThreadsViewReaders), tmpl(RuleThreadsViewReaders), nil, nil, nil, nil},
	"messages":      {tmpl(RuleMessagesViewReaders), tmpl(RuleMessagesViewReaders), tmpl(RuleMessagesCreateReader), tmpl(RuleMessagesUpdate), nil, nil},
	"thread_reads":  {tmpl(RuleThreadReadsOwn), tmpl(RuleThreadReadsOwn), nil, nil, nil, nil},
	"churn_scores":  {tmpl(RuleChurnScoresView), tmpl(RuleChurnScoresView), nil, nil, nil, nil},
	// follow-up sequences (docs/insight.md)
	"sequences":        {tmpl(RuleSequencesManage), tmpl(RuleSequencesManage), nil, tmpl(RuleSequencesManage), nil, nil},
	"sequence_sends":   {tmpl(RuleSequencesManage), tmpl(RuleSequencesManage), nil, nil, nil, nil},
	"sequence_optouts": {tmpl(RuleSequencesManage), tmpl(RuleSequencesManage), nil, nil, nil, nil},
}

// Public reads a rule that lets anyone, signed in or not, pass.
const Public = ""

// Rules of the users collection.
const (
	// RuleUsersView: yourself; staff see everyone.
	RuleUsersView = "id = @request.auth.id || " + isAdmin
	// RuleUsersCreate: self sign-up as a student or a tutor; admins may create
	// any role. The hooks refuse everything else again, with field errors.
	RuleUsersCreate = "@request.body.role:isset = false || @request.body.role = 'student' || @request.body.role = 'tutor' || " + isAdmin
	// RuleUsersUpdate: yourself without touching your role; admins anyone.
	RuleUsersUpdate = "(id = @request.auth.id && @request.body.role:changed = false) || " + isAdmin
	// RuleUsersManage: admins may set passwords, emails and verified flags.
	RuleUsersManage = isAdmin
	// RuleUsersDelete: staff only; a school keeps its lesson history.
	RuleUsersDelete = isAdmin
)

// Rules of the one-record school collection: public read (the web app shows
// the policies), admin update; create and delete are for nobody through the
// API (the record is made by a migration).
const (
	RuleSchoolView   = Public
	RuleSchoolUpdate = isAdmin
)

// Rules of the subjects catalogue.
const (
	RuleSubjectsView  = Public
	RuleSubjectsWrite = isAdmin
)

// Rules of tutor profiles. A visitor sees verified active tutors; a tutor
// sees their own profile in any state. Profiles are created by sign-up.
const (
	RuleTutorsView   = "(verified = true && status = 'active') || user = @request.auth.id || " + isAdmin
	RuleTutorsCreate = isAdmin
	RuleTutorsUpdate = "user = @request.auth.id || " + isAdmin
	RuleTutorsDelete = isAdmin
)

// Rules of student profiles: private to the student and staff.
const (
	RuleStudentsView   = "user = @request.auth.id || " + isAdmin
	RuleStudentsCreate = "(user = @request.auth.id && " + isStudent + ") || " + isAdmin
	RuleStudentsUpdate = "user = @request.auth.id || " + isAdmin
	RuleStudentsDelete = isAdmin
)

// Rules shared by the records a tutor owns (availability, time off, their
// calendar feeds, whose address is a secret, and the busy times read from
// them, which only the server writes): the owning tutor (through the
// server-filled tutor_user) and staff.
const (
	RuleTutorOwnedView   = "tutor_user = @request.auth.id || " + isAdmin
	RuleTutorOwnedCreate = "(" + isTutor + " && tutor.user = @request.auth.id) || " + isAdmin
	RuleTutorOwnedWrite  = "tutor_user = @request.auth.id || " + isAdmin
)

// Rules of bookings. Creation goes through the records API and the booking
// hooks; a direct update may only change notes (hooks); state changes go
// through the action routes. Nobody but a superuser deletes a booking.
//
// RuleBookingsList has no staff clause: any term of an OR that is not a
// column comparison (even a constant one) stops SQLite's multi-index OR,
// and "my bookings" then scans every booking (measured: 8 instead of
// hundreds of lists a second at 50,000 bookings). Staff list every booking
// through the same records API route, served without the rule by a hook
// (internal/app/booking/staff_lists.go).
//
// RuleBookingsCreate only asks for an account: the booking hook sets the
// student to the caller (staff name one) and refuses any student that is
// not a student account (400 not_a_student), so a role clause here would
// decide nothing and cost a join with users on every booking.
const (
	RuleBookingsList   = "student = @request.auth.id || tutor_user = @request.auth.id"
	RuleBookingsView   = RuleBookingsList + " || " + isAdmin
	RuleBookingsCreate = "@request.auth.id != \"\""
	RuleBookingsUpdate = RuleBookingsView
)

// RuleSeriesView: the series' student, tutor and staff; series are created
// and changed only through POST /api/series and the booking actions.
const RuleSeriesView = RuleBookingsView

// Rules of packages. The public list is the published packages of verified
// active tutors; a tutor sees and edits their own in every state.
const (
	RulePackagesView   = "(status = 'published' && tutor.verified = true && tutor.status = 'active') || tutor_user = @request.auth.id || " + isAdmin
	RulePackagesCreate = "(" + isTutor + " && tutor.user = @request.auth.id && tutor.verified = true) || " + isAdmin
	RulePackagesUpdate = "tutor_user = @request.auth.id || " + isAdmin
	RulePackagesDelete = "(tutor_user = @request.auth.id && status = 'draft') || " + isAdmin
)

// Rules of the money records: visible to their user and staff, written only
// by the server.
const (
	RulePurchasesView = "student = @request.auth.id || " + isAdmin
	RuleOwnMoneyView  = "user = @request.auth.id || " + isAdmin
	RulePayoutsView   = "tutor_user = @request.auth.id || " + isAdmin
)

// Rules of reviews: public unless hidden by staff.
const (
	RuleReviewsView   = "hidden = false || student = @request.auth.id || " + isAdmin
	RuleReviewsCreate = isStudent + " && booking.student = @request.auth.id"
	RuleReviewsUpdate = "student = @request.auth.id || " + isAdmin
	RuleReviewsDelete = isAdmin
)

// Rules of lesson materials: the owner, whom they are shared with, the
// student of the lesson they are attached to, staff. A tutor links a
// material only to a lesson they teach (staff to any) and makes a new
// version only of their own material; the hooks also keep shared_with to
// the tutor's own students.
const (
	// (a guest's empty id would match an empty shared_with or lesson: the
	// signed-in test keeps visitors out)
	RuleMaterialsView   = "owner = @request.auth.id || (" + signedIn + " && (shared_with.id ?= @request.auth.id || booking.student = @request.auth.id)) || " + isAdmin
	RuleMaterialsCreate = "(" + isTutor + " || " + isAdmin + ") && owner = @request.auth.id && (booking = '' || booking.tutor_user = @request.auth.id || " + isAdmin + ")" +
		" && (@request.body.previous:isset = false || @request.body.previous = '' || @request.body.previous.owner = @request.auth.id || " + isAdmin + ")"
	RuleMaterialsUpdate = "(owner = @request.auth.id && (@request.body.booking:isset = false || @request.body.booking = '' || @request.body.booking.tutor_user = @request.auth.id)) || " + isAdmin
	RuleMaterialsWrite  = "owner = @request.auth.id || " + isAdmin // delete (and update, before RuleMaterialsUpdate)
)

// Rules of lesson reports: the lesson's student and tutor, and staff. Only
// the lesson's tutor (or staff) writes one; the hooks fill the lesson's
// parties from the booking and keep a report to a lesson that is over. A
// student marks homework done through POST
// /api/lesson-reports/{id}/homework-done, never by an update. Staff
// delete.
const (
	RuleLessonReportsView   = "student = @request.auth.id || tutor_user = @request.auth.id || " + isAdmin
	RuleLessonReportsCreate = "(" + isTutor + " && booking.tutor_user = @request.auth.id) || " + isAdmin
	RuleLessonReportsUpdate = "tutor_user = @request.auth.id || " + isAdmin
	RuleLessonReportsDelete = isAdmin
)

// Rules of the tutors' private notes about a student: their author and
// staff, never the student (no clause names the student). The hooks set
// the author to the caller and keep a tutor's notes to their own students.
const (
	RuleTutorNotesView   = "author = @request.auth.id || " + isAdmin
	RuleTutorNotesCreate = isTutor + " || " + isAdmin
	RuleTutorNotesWrite  = "author = @request.auth.id || " + isAdmin
)

// RuleMaterialDownloadsView: who downloaded a material is for its owner
// and staff; only the server writes it.
const RuleMaterialDownloadsView = "owner = @request.auth.id || " + isAdmin

// Rules of in-app notifications: private to their user. Staff may view
// one (the deliveries page expands the notification each delivery
// carries), never list them: a list and its live topic (an admin's inbox,
// their unread count) stay their own.
const (
	RuleNotificationsView    = "user = @request.auth.id"
	RuleNotificationsViewOne = RuleNotificationsView + " || " + isAdmin
	RuleNotificationsWrite   = "user = @request.auth.id"
)

// Rules of push subscriptions: a person sees and removes their own
// devices; they subscribe through POST /api/account/push/subscribe (an
// endpoint moves to whoever signs in on the device), so nobody creates or
// edits one through the records API. Their keys are hidden fields.
const RulePushSubscriptionsOwn = "user = @request.auth.id"

// Rules of the outbox of deliveries: staff only.
const RuleDeliveriesView = isAdmin

// RuleAuditView: anyone may read the entries about their own actions;
// superusers read all of it. Nobody writes through the API.
const RuleAuditView = signedIn + " && actor = @request.auth.id"

// RuleSessionsView: each person sees their own sign-ins; nobody writes
// them through the API (the server records them, the session routes end
// them).
const RuleSessionsView = "user = @request.auth.id"

// RuleFlagsView: flags of suspicious activity are for staff to review;
// only the server writes them (the review route changes their status).
const RuleFlagsView = isAdmin

// Rules of coupons: staff write them (the checkout reads them as the
// server); a payer sees their own redemptions, staff all.
const (
	RuleCouponsManage         = isAdmin
	RuleCouponRedemptionsView = "user = @request.auth.id || " + isAdmin
)

// Rules of plans and subscriptions: anyone sees the plans on sale, staff
// write them; a subscription is seen by who pays for it, the student whose
// credits it gives, and staff; only the server writes subscriptions.
const (
	RulePlansView         = "active = true || " + isAdmin
	RulePlansManage       = isAdmin
	RuleSubscriptionsView = "(" + signedIn + " && (user = @request.auth.id || student = @request.auth.id)) || " + isAdmin
)

// Guardians. GuardianOf is the one rule fragment for "the caller is an
// accepted guardian of the student named by field" (a relation to users;
// "id" on users itself): a link's guardian is empty until its invitation
// is accepted, and the signed-in test keeps a visitor's empty id from
// matching it. Go code asks the same question with
// platform.IsGuardianOf.
func GuardianOf(field string) string {
	path := "guardians_via_student.guardian"
	if field != "id" {
		path = field + "." + path
	}
	return "(" + signedIn + " && " + path + " ?= @request.auth.id)"
}

// The fragment for the fields the rules use (constants, so the rules stay
// constants): GuardianOf("student"), GuardianOf("user"), GuardianOf("id");
// guardedBy is the other way round, a student seeing their guardians.
const (
	guardianOfStudent = "(" + signedIn + " && student.guardians_via_student.guardian ?= @request.auth.id)"
	guardianOfProfile = "(" + signedIn + " && user.guardians_via_student.guardian ?= @request.auth.id)"
	guardianOfUser    = "(" + signedIn + " && guardians_via_student.guardian ?= @request.auth.id)"
	guardedBy         = "(" + signedIn + " && guardians_via_guardian.student ?= @request.auth.id)"

	// RuleGuardiansView: a link is seen by its guardian, its student and
	// staff; only the server writes links (invite, accept, add a child,
	// remove).
	RuleGuardiansView = "(" + signedIn + " && (guardian = @request.auth.id || student = @request.auth.id)) || " + isAdmin
	// The rules of the collections a guardian reads (the earlier
	// migrations wrote the rules before them, which name no guardian: the
	// links did not exist yet). A guardian sees the students they manage
	// (their account, profile, lessons and series, reports, purchases and
	// credit ledger) and may update their profile and lesson notes; a
	// student sees their guardians' accounts. The bookings list is served
	// to guardians by internal/app/guardians (see RuleBookingsList).
	RuleUsersViewFamily         = RuleUsersView + " || " + guardianOfUser + " || " + guardedBy
	RuleUsersCreateFamily       = "@request.body.role:isset = false || @request.body.role = 'student' || @request.body.role = 'tutor' || @request.body.role = 'guardian' || " + isAdmin
	RuleStudentsViewFamily      = RuleStudentsView + " || " + guardianOfProfile
	RuleStudentsUpdateFamily    = RuleStudentsUpdate + " || " + guardianOfProfile
	RuleBookingsViewFamily      = RuleBookingsView + " || " + guardianOfStudent
	RulePurchasesViewFamily     = RulePurchasesView + " || " + guardianOfStudent
	RuleLessonReportsViewFamily = RuleLessonReportsView + " || " + guardianOfStudent
	RuleLedgerViewFamily        = RuleLedgerView + " || " + guardianOfStudent
	// Family billing: a purchase is also its payer's; a payment or an
	// invoice is its payer's (user) and is read by the guardians of the
	// student it was for.
	RulePurchasesViewPayer = RulePurchasesViewFamily + " || (" + signedIn + " && payer = @request.auth.id)"
	RuleMoneyViewFamily    = RuleOwnMoneyView + " || " + guardianOfStudent
)

// Rules of billing_details, a payer's tax data for invoices: read and
// written by its owner and staff; created by its owner for themselves
// (staff for anyone); the server keeps the user field as created.
const (
	RuleBillingDetailsOwn    = "(" + signedIn + " && user = @request.auth.id) || " + isAdmin
	RuleBillingDetailsCreate = "(" + signedIn + " && @request.body.user = @request.auth.id) || " + isAdmin
)

// Rules of the help assistant: the FAQ is public (it is the school's own
// help) and staff write it; the unanswered questions are for staff, who
// turn them into FAQ entries or dismiss them (the server records them).
const (
	RuleFAQView            = Public
	RuleFAQWrite           = isAdmin
	RuleAssistantQuestions = isAdmin
)

// Messages. A thread is read by its participants and by the guardians of
// its student (GuardianOf("student")); staff read the threads they take
// part in and the ones reported to them, never the others. The server
// makes threads (POST /api/threads, POST /api/bookings/{id}/thread) and
// changes their state (report, close, read). A message is read by whoever
// reads its thread; it is sent through the records API by a person who
// takes part, as its author (the hooks refuse a closed thread, with a
// clear message and under the write lock, and a flood), edited by its
// author while not deleted (the hooks take the body only), and deleted for
// all through POST /api/messages/{id}/delete.
const (
	threadParty        = "(" + signedIn + " && (participants.id ?= @request.auth.id || student.guardians_via_student.guardian ?= @request.auth.id))"
	messageThreadParty = "(" + signedIn + " && (thread.participants.id ?= @request.auth.id || thread.student.guardians_via_student.guardian ?= @request.auth.id))"

	RuleThreadsView    = threadParty + " || (reported = true && " + isAdmin + ")"
	RuleMessagesView   = messageThreadParty + " || (thread.reported = true && " + isAdmin + ")"
	RuleMessagesCreate = messageThreadParty + " && author = @request.auth.id"
	RuleMessagesUpdate = "(" + signedIn + " && author = @request.auth.id && deleted = false)"
	// The same, said with the thread's readers (participants and the
	// student's accepted guardians, kept by the server as links change:
	// messages.FamilyChanged), one relation instead of a join through the
	// guardians: PocketBase checks the view rule once per subscribed
	// client for every message, and this form costs about half.
	readerParty              = "(" + signedIn + " && readers.id ?= @request.auth.id)"
	messageReaderParty       = "(" + signedIn + " && thread.readers.id ?= @request.auth.id)"
	RuleThreadsViewReaders   = readerParty + " || (reported = true && " + isAdmin + ")"
	RuleMessagesViewReaders  = messageReaderParty + " || (thread.reported = true && " + isAdmin + ")"
	RuleMessagesCreateReader = messageReaderParty + " && author = @request.auth.id"
	// RuleThreadReadsOwn: one's own read state; the server writes it.
	RuleThreadReadsOwn = "(" + signedIn + " && user = @request.auth.id)"
)

// Churn risk: staff read the students' scores; the daily job writes them
// and POST /api/at-risk/{id}/coupon sets the coupon offered.
const RuleChurnScoresView = isAdmin

// Rules of the follow-up sequences: staff read them and turn them on or
// edit their words (the server keeps their trigger); the sends and the
// unsubscriptions are the server's, read by staff.
const RuleSequencesManage = isAdmin
