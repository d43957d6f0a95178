// Package migrations is Tutorbase's schema: every collection, field, index,
// API rule and default setting, as typed Go migrations applied on `serve`,
// `migrate up` and in tests.
//
// API rules are the first gate (who may read or write what); business rules
// live in Go hooks. The rules are built from the named constants below and
// each is pinned by a role × action test table in hooks/.
package migrations

// Building blocks of the API rules. @request.auth.role only exists for the
// users collection; superusers bypass every rule.
const (
	signedIn  = "@request.auth.id != ''"
	isAdmin   = "@request.auth.role = 'admin'"
	isTutor   = "@request.auth.role = 'tutor'"
	isStudent = "@request.auth.role = 'student'"
)

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

// Rules shared by the records a tutor owns (availability, time off): the
// owning tutor (through the server-filled tutor_user) and staff.
const (
	RuleTutorOwnedView   = "tutor_user = @request.auth.id || " + isAdmin
	RuleTutorOwnedCreate = "(" + isTutor + " && tutor.user = @request.auth.id) || " + isAdmin
	RuleTutorOwnedWrite  = "tutor_user = @request.auth.id || " + isAdmin
)

// Rules of bookings. Creation goes through the records API and the booking
// hooks; a direct update may only change notes (hooks); state changes go
// through the action routes. Nobody but a superuser deletes a booking.
const (
	RuleBookingsView   = "student = @request.auth.id || tutor_user = @request.auth.id || " + isAdmin
	RuleBookingsCreate = isStudent + " || " + isAdmin
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

// Rules of lesson materials: the owner, whom they are shared with, staff.
const (
	RuleMaterialsView   = "owner = @request.auth.id || shared_with.id ?= @request.auth.id || " + isAdmin
	RuleMaterialsCreate = "(" + isTutor + " || " + isAdmin + ") && owner = @request.auth.id"
	RuleMaterialsWrite  = "owner = @request.auth.id || " + isAdmin
)

// Rules of in-app notifications: private to their user.
const (
	RuleNotificationsView  = "user = @request.auth.id"
	RuleNotificationsWrite = "user = @request.auth.id"
)

// Rules of the outbox of deliveries: staff only.
const RuleDeliveriesView = isAdmin

// RuleAuditView: anyone may read the entries about their own actions;
// superusers read all of it. Nobody writes through the API.
const RuleAuditView = signedIn + " && actor = @request.auth.id"
