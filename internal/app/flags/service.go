// Package flags watches recorded events for suspicious activity (the rules
// of internal/suspicion): a rule that fires records a flag with its
// evidence for staff to review (dismiss, warn, suspend), and may hold an
// action (checkout) while the flag is open. Rules run after the event's
// transaction commits, so a failing rule never undoes what a person did.
package flags

import (
	"errors"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/suspicion"

	"github.com/pocketbase/pocketbase/core"
)

// Service binds the suspicious-activity rules.
type Service struct {
	env platform.Env
}

// New returns the flags capability of an app.
func New(env platform.Env) *Service { return &Service{env: env} }

// Register binds the rules to the events they watch, and the holds.
func (s *Service) Register(app core.App) {
	app.OnRecordAfterCreateSuccess("payments").BindFunc(s.onPayment)
	app.OnRecordAfterUpdateSuccess("payments").BindFunc(s.onPayment)
	app.OnRecordAfterUpdateSuccess("bookings").BindFunc(s.onBookingCancelled)
	app.OnRecordAfterCreateSuccess("bookings").BindFunc(s.onBookingCreated)
	app.OnRecordAfterCreateSuccess("refunds").BindFunc(s.onRefund)
	app.OnRecordCreateRequest("users").BindFunc(s.onSignUp)
	app.OnRecordAfterCreateSuccess("messages").BindFunc(s.onMessage)
	app.OnRecordCreate("payments").BindFunc(holdCheckout)
}

// raise records a flag of rule about subject (a user id or an IP), with
// its evidence, unless one is open already for them (the unique index of
// open flags decides, so concurrent hits make one flag).
func (s *Service) raise(app core.App, rule, user, subject string, evidence map[string]any) {
	c, err := app.FindCachedCollectionByNameOrId("flags")
	if err != nil {
		app.Logger().Error("failed to raise a flag", "rule", rule, "error", err)
		return
	}
	f := core.NewRecord(c)
	f.Load(map[string]any{
		"rule": rule, "user": user, "subject": subject, "evidence": evidence,
		"holds": suspicion.Rules[rule].Holds, "status": StatusOpen,
	})
	if err := app.Save(f); err != nil && !isUniqueViolation(err) {
		app.Logger().Error("failed to raise a flag", "rule", rule, "subject", subject, "error", err)
	}
}

func isUniqueViolation(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || strings.Contains(err.Error(), "validation_not_unique"))
}

// thresholds are the school's settings of the rules.
func thresholds(app core.App) (suspicion.Thresholds, error) {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return suspicion.Thresholds{}, err
	}
	return school.Flags, nil
}

// since is the start of a rule's window, as PocketBase stores dates.
func (s *Service) since(rule string) string {
	return platform.DBTime(s.env.Now().Add(-suspicion.Rules[rule].Window))
}

func logRule(app core.App, rule string, err error) {
	if err != nil && !errors.Is(err, errQuiet) {
		app.Logger().Error("a suspicious-activity rule failed", "rule", rule, "error", err)
	}
}

var errQuiet = errors.New("quiet")
