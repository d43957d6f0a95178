package platform

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tutorbase/internal/billing"
	"tutorbase/internal/lang"
	"tutorbase/internal/suspicion"
	"tutorbase/migrations"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// School is the typed view of the one `school` record.
type School struct {
	Name                    string
	Timezone                string
	Location                *time.Location
	Locale                  string
	Currency                string
	CommissionBP            int64 // commission in basis points (20 % = 2000)
	CancelWindow            time.Duration
	LateCancelRefundPercent int64
	ReminderOffsets         []time.Duration
	TaxRateBP               int64
	PricesIncludeTax        bool
	InvoicePrefix           string
	SlotStep                time.Duration
	Email, Phone, Address   string
	VATID                   string
	PaymentInstructions     string // how to pay for a package by hand
	LessonInstructions      string // how to pay for one lesson by hand (else PaymentInstructions)
	PendingExpiry           time.Duration
	LowCreditThreshold      int
	RetentionDays           int
	MaxUnpaidLessons        int           // upcoming unpaid lessons a student may hold; 0 = no cap
	UnpaidPayWindow         time.Duration // how long after booking an unpaid lesson must be paid; 0 = no deadline
	RequireVerifiedEmail    bool          // a student books and pays only with a confirmed email
	TutorsNeedMFA           bool          // tutors sign in with a second factor
	Flags                   suspicion.Thresholds
	Retention               Retention // how long personal records are kept (the retention schedule)
	ReplyTo                 string    // where replies to notification emails go ("": the no-reply sender)
}

// Retention is the school's retention schedule beside notifications
// (RetentionDays): how long each kind of record is kept; 0 keeps it
// forever.
type Retention struct {
	LoginAttempts, Deliveries, Audit, Logs time.Duration
}

const schoolStoreKey = "tutorbase.school"

// LoadSchool returns the school settings, cached in the app store until the
// record changes.
func LoadSchool(app core.App) (*School, error) {
	if s, ok := app.Store().Get(schoolStoreKey).(*School); ok {
		return s, nil
	}
	r, err := app.FindRecordById("school", migrations.SchoolId)
	if err != nil {
		return nil, fmt.Errorf("failed to load the school record: %w", err)
	}
	s, err := schoolFromRecord(app, r)
	if err != nil {
		return nil, err
	}
	app.Store().Set(schoolStoreKey, s)
	return s, nil
}

func schoolFromRecord(app core.App, r *core.Record) (*School, error) {
	loc, err := Location(app, r.GetString("timezone"))
	if err != nil {
		return nil, fmt.Errorf("school timezone: %w", err)
	}
	commission, err := billing.PercentToBP(r.GetFloat("commission_percent"))
	if err != nil {
		return nil, fmt.Errorf("school commission_percent: %w", err)
	}
	tax, err := billing.PercentToBP(r.GetFloat("tax_rate_percent"))
	if err != nil {
		return nil, fmt.Errorf("school tax_rate_percent: %w", err)
	}
	s := &School{
		Name:                    r.GetString("name"),
		Timezone:                loc.String(),
		Location:                loc,
		Locale:                  r.GetString("locale"),
		Currency:                r.GetString("currency"),
		CommissionBP:            commission,
		CancelWindow:            time.Duration(r.GetInt("cancel_window_hours")) * time.Hour,
		LateCancelRefundPercent: int64(r.GetInt("late_cancel_refund_percent")),
		TaxRateBP:               tax,
		PricesIncludeTax:        r.GetBool("prices_include_tax"),
		InvoicePrefix:           r.GetString("invoice_prefix"),
		SlotStep:                time.Duration(r.GetInt("slot_step_minutes")) * time.Minute,
		Email:                   r.GetString("email"),
		Phone:                   r.GetString("phone"),
		Address:                 r.GetString("address"),
		VATID:                   r.GetString("vat_id"),
		PaymentInstructions:     r.GetString("payment_instructions"),
		LessonInstructions:      cmp.Or(r.GetString("lesson_payment_instructions"), r.GetString("payment_instructions")),
		PendingExpiry:           time.Duration(r.GetInt("pending_expiry_hours")) * time.Hour,
		LowCreditThreshold:      r.GetInt("low_credit_threshold"),
		RetentionDays:           r.GetInt("retention_days"),
		MaxUnpaidLessons:        r.GetInt("max_unpaid_lessons"),
		UnpaidPayWindow:         time.Duration(r.GetInt("unpaid_pay_hours")) * time.Hour,
		RequireVerifiedEmail:    r.GetBool("require_verified_email"),
		TutorsNeedMFA:           r.GetBool("tutors_need_mfa"),
		Flags: suspicion.Thresholds{
			FailedPayments: r.GetInt("flag_failed_payments"), Cancellations: r.GetInt("flag_cancellations"),
			UnpaidLessons: r.GetInt("flag_unpaid_lessons"), SignupsPerIP: r.GetInt("flag_signups_per_ip"),
			RefundCents: int64(r.GetInt("flag_refund_cents")), MessageRecipients: r.GetInt("flag_message_recipients"),
		},
		ReplyTo: r.GetString("reply_to_email"),
	}
	days := func(f string) time.Duration { return time.Duration(r.GetInt(f)) * 24 * time.Hour }
	s.Retention = Retention{LoginAttempts: days("keep_login_attempts_days"), Deliveries: days("keep_deliveries_days"),
		Audit: days("keep_audit_days"), Logs: days("keep_logs_days")}
	offsets, err := reminderOffsets(r.Get("reminder_offsets"))
	if err != nil {
		return nil, err
	}
	s.ReminderOffsets = offsets
	return s, nil
}

// reminderOffsets reads the JSON array of minutes before a lesson.
func reminderOffsets(raw any) ([]time.Duration, error) {
	var minutes []int
	if err := DecodeJSON(raw, &minutes); err != nil {
		return nil, validation.NewError("invalid_offsets", "Reminder offsets must be a list of minutes, e.g. [1440, 60].")
	}
	if len(minutes) > 5 {
		return nil, validation.NewError("invalid_offsets", "At most 5 reminder offsets.")
	}
	seen := map[int]bool{}
	out := make([]time.Duration, 0, len(minutes))
	for _, m := range minutes {
		if m < 1 || m > 43200 || seen[m] {
			return nil, validation.NewError("invalid_offsets", "Each reminder offset is a distinct number of minutes between 1 and 43200 (30 days).")
		}
		seen[m] = true
		out = append(out, time.Duration(m)*time.Minute)
	}
	return out, nil
}

// validSubjectNames accepts a subject's names in other languages: empty,
// or an object of supported languages and one-line names of 1 to 120
// characters.
func validSubjectNames(v any) bool {
	raw, _ := v.(types.JSONRaw)
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var names map[string]string
	if err := json.Unmarshal(raw, &names); err != nil {
		return false
	}
	for l, n := range names {
		if _, ok := lang.Known(l); !ok || l != lang.Base(l) || n == "" || utf8.RuneCountInString(n) > 120 || strings.ContainsAny(n, "\r\n") {
			return false
		}
	}
	return true
}

// validSlotSteps are the slot steps that divide an hour, so local :00 stays
// aligned.
var validSlotSteps = []int{5, 10, 15, 20, 30, 60}

// Register binds what every capability relies on: the one school record's
// rules and the caches' invalidation.
func Register(app core.App) {
	OneLine(app, "school", "name", "phone", "vat_id")
	OneLine(app, "subjects", "name")
	app.OnRecordValidate("subjects").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if !validSubjectNames(e.Record.Get("names")) {
			errs["names"] = validation.NewError("invalid_names", `Names are an object of language codes and names, e.g. {"it": "Fisica"}.`)
		}
		return MergeErrors(e.Next(), errs)
	})
	registerSchool(app)
	registerCaches(app)
}

func registerSchool(app core.App) {
	// Exactly one school: a second one is refused whatever the path (the
	// migration creates the first one before these hooks exist in serve).
	app.OnRecordCreate("school").BindFunc(func(e *core.RecordEvent) error {
		n, err := e.App.CountRecords("school")
		if err != nil {
			return err
		}
		if n > 0 {
			return validation.Errors{"id": validation.NewError("single_school", "There is exactly one school record; edit it instead.")}
		}
		return e.Next()
	})
	app.OnRecordDeleteRequest("school").BindFunc(func(e *core.RecordRequestEvent) error {
		return apis.NewBadRequestError("The school record cannot be deleted; edit it instead.", nil)
	})
	app.OnRecordValidate("school").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if _, err := Location(e.App, e.Record.GetString("timezone")); err != nil {
			errs["timezone"] = validation.NewError("invalid_timezone", "Unknown time zone; use an IANA name such as Europe/Rome.")
		}
		if !billing.ValidCurrency(e.Record.GetString("currency")) {
			errs["currency"] = validation.NewError("invalid_currency", "Unknown currency; use an ISO 4217 code such as EUR.")
		}
		for _, f := range []string{"commission_percent", "tax_rate_percent"} {
			if _, err := billing.PercentToBP(e.Record.GetFloat(f)); err != nil {
				errs[f] = validation.NewError("invalid_percent", "Use a percentage between 0 and 100 with at most two decimals.")
			}
		}
		if _, err := reminderOffsets(e.Record.Get("reminder_offsets")); err != nil {
			errs["reminder_offsets"] = err
		}
		step := e.Record.GetInt("slot_step_minutes")
		if !slices.Contains(validSlotSteps, step) {
			errs["slot_step_minutes"] = validation.NewError("invalid_step", "The slot step must be 5, 10, 15, 20, 30 or 60 minutes.")
		}
		return MergeErrors(e.Next(), errs)
	})
	app.OnRecordAfterUpdateSuccess("school").BindFunc(func(e *core.RecordEvent) error {
		e.App.Store().Remove(schoolStoreKey)
		return e.Next()
	})
}
