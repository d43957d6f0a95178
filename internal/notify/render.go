package notify

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"tutorbase/internal/billing"
	"tutorbase/internal/lang"
	"tutorbase/internal/msg"
)

//go:embed templates/*
var templateFS embed.FS

// defaultTemplates is parsed once from the embedded files; it is never
// modified after, so sharing it between goroutines is safe. A template that
// does not parse stops the program at start (and fails every test).
var defaultTemplates = mustTemplates(parseTemplates(templateFS))

// Render renders ev for one recipient, in their language and zone. It
// returns an error wrapping [ErrUnknownKind] for a kind not in [Kinds], and
// one wrapping [ErrIncomplete] for a lesson event without Start, a money
// event without Currency or package_expiring without ExpiresAt.
func Render(ev Event, to Recipient) (Message, error) {
	return defaultTemplates.render(ev, to)
}

// blocks are the templates every kind file defines.
var blocks = []string{"title", "text", "short", "html"}

// kindTemplates is one kind in one locale, parsed with its locale's layout.
type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// templateSet holds the parsed templates by locale and kind.
type templateSet map[string]map[string]kindTemplates

// parseTemplates reads fsys's templates/<locale>/ directories: layout.tmpl
// and one <kind>.tmpl per kind. English must have every kind; other locales
// may lack some (they fall back to English). A file that is not a known
// kind is an error, so a misspelt name does not silently fall back.
func parseTemplates(fsys fs.FS) (templateSet, error) {
	dirs, err := fs.ReadDir(fsys, "templates")
	if err != nil {
		return nil, fmt.Errorf("read templates: %w", err)
	}
	set := templateSet{}
	for _, dir := range dirs {
		if !dir.IsDir() {
			continue
		}
		locale := dir.Name()
		kinds, err := parseLocale(fsys, path.Join("templates", locale))
		if err != nil {
			return nil, fmt.Errorf("templates %s: %w", locale, err)
		}
		set[locale] = kinds
	}
	for _, l := range lang.Supported { // every language has every kind
		for _, kind := range Kinds() {
			if _, ok := set[l][kind]; !ok {
				return nil, fmt.Errorf("templates %s: missing %s.tmpl", l, kind)
			}
		}
	}
	return set, nil
}

// parseLocale parses one locale directory.
func parseLocale(fsys fs.FS, dir string) (map[string]kindTemplates, error) {
	layout, err := fs.ReadFile(fsys, path.Join(dir, "layout.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	kinds := map[string]kindTemplates{}
	for _, f := range files {
		kind, ok := strings.CutSuffix(f.Name(), ".tmpl")
		if !ok || kind == "layout" {
			continue
		}
		if !slices.Contains(Kinds(), kind) {
			return nil, fmt.Errorf("%s: %w", f.Name(), ErrUnknownKind)
		}
		src, err := fs.ReadFile(fsys, path.Join(dir, f.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name(), err)
		}
		kt, err := parseKind(kind, string(layout), string(src))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name(), err)
		}
		kinds[kind] = kt
	}
	return kinds, nil
}

// parseKind parses a kind file together with its locale's layout, once as
// text and once as HTML, and checks it defines every block.
func parseKind(kind, layout, src string) (kindTemplates, error) {
	tt, err := texttemplate.New(kind).Option("missingkey=error").Parse(layout)
	if err == nil {
		_, err = tt.Parse(src)
	}
	if err != nil {
		return kindTemplates{}, fmt.Errorf("parse text: %w", err)
	}
	ht, err := htmltemplate.New(kind).Option("missingkey=error").Parse(layout)
	if err == nil {
		_, err = ht.Parse(src)
	}
	if err != nil {
		return kindTemplates{}, fmt.Errorf("parse html: %w", err)
	}
	for _, b := range blocks {
		if tt.Lookup(b) == nil {
			return kindTemplates{}, fmt.Errorf("no %q block", b)
		}
	}
	return kindTemplates{text: tt, html: ht}, nil
}

// mustTemplates panics on a template error; it is only used for the
// embedded templates, which the tests parse too.
func mustTemplates(set templateSet, err error) templateSet {
	if err != nil {
		panic("notify: " + err.Error())
	}
	return set
}

// missingField names the first field ev's kind cannot be described
// without, or returns "".
func missingField(ev Event) string {
	switch ev.Kind {
	case KindBookingCreated, KindBookingConfirmed, KindBookingCancelled, KindBookingRescheduled, KindReminder,
		KindReportMissing, KindHomeworkDone, KindSigninAlert:
		if ev.Start.IsZero() {
			return "Start"
		}
	case KindPaymentReceived, KindRefund, KindPayout:
		if ev.Currency == "" {
			return "Currency"
		}
	case KindPackageExpiring, KindSubscriptionFailed:
		if ev.ExpiresAt.IsZero() {
			return "ExpiresAt"
		}
	case KindGuardianInvite:
		if ev.StudentName == "" || ev.Link == "" {
			return "StudentName and Link"
		}
	case KindMessageUnread, KindThreadReported:
		if ev.OtherParty == "" || ev.Link == "" {
			return "OtherParty and Link"
		}
	case KindSequence:
		if ev.Texts[english].Title == "" || ev.Unsubscribe == "" {
			return "Texts (English) and Unsubscribe"
		}
	}
	return ""
}

// render is [Render] on a given template set.
func (s templateSet) render(ev Event, to Recipient) (Message, error) {
	if !slices.Contains(Kinds(), ev.Kind) {
		return Message{}, fmt.Errorf("render %q: %w", ev.Kind, ErrUnknownKind)
	}
	if f := missingField(ev); f != "" {
		return Message{}, fmt.Errorf("render %s without %s: %w", ev.Kind, f, ErrIncomplete)
	}
	language := lang.Of(to.Locale)
	kt := s[language][ev.Kind]
	v := newView(ev, to, language)

	var msg Message
	var errs []error
	execText := func(name string) string {
		var b bytes.Buffer
		errs = append(errs, kt.text.ExecuteTemplate(&b, name, v))
		return b.String()
	}
	msg.Title = oneLine(execText("title"))
	msg.Text = tidyText(execText("text_page"))
	msg.App = tidyText(execText("text"))
	short := oneLine(execText("short"))
	var hb bytes.Buffer
	errs = append(errs, kt.html.ExecuteTemplate(&hb, "html_page", v))
	msg.HTML = hb.String()
	if err := errors.Join(errs...); err != nil {
		return Message{}, fmt.Errorf("render %s (%s): %w", ev.Kind, language, err)
	}
	link := ev.JoinURL
	if link == "" {
		link = ev.Link
	}
	msg.Short = fitShort(short, link, MaxShort)
	return msg, nil
}

// spaces matches runs of white space, folded to one space in one-line forms.
var spaces = regexp.MustCompile(`\s+`)

// oneLine folds all white space (including newlines a name may carry) into
// single spaces, so a title can be an email subject.
func oneLine(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// blankLines matches three or more line breaks, with spaces between them.
var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// tidyText trims a rendered plain-text body and keeps at most one blank
// line between paragraphs, so templates can be laid out for reading.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// fitShort appends link to short and keeps the whole within max runes,
// shortening short (never the link) with an ellipsis. A link too long to
// leave room for any text is dropped rather than cut.
func fitShort(short, link string, max int) string {
	room := max
	if link != "" {
		room = max - utf8.RuneCountInString(link) - 1
		if room < 40 {
			link, room = "", max
		}
	}
	if utf8.RuneCountInString(short) > room {
		r := []rune(short)
		short = strings.TrimSpace(string(r[:room-1])) + "…"
	}
	if link == "" {
		return short
	}
	return short + " " + link
}

// view is what templates see: the event's fields already formatted for the
// recipient's language and zone.
type view struct {
	Name        string // recipient's name
	With        string // the other party
	Tutor       string
	Student     string
	Subject     string
	When        string // start (and end) in the recipient's zone
	OldWhen     string // rescheduled: the previous start
	Before      string // reminder: "in 1 hour"
	JoinURL     string
	Link        string
	Reason      string
	LateCancel  bool
	Pending     bool   // waits for the tutor's confirmation
	Amount      string // formatted money, "" without a currency
	Credits     int
	Expires     string // expiry instant in the recipient's zone
	ExpiresDay  string // expiry date only
	Rating      int
	Stars       string // the rating as "★★★★☆"
	Lessons     []lessonView
	Device      string   // signin_alert: the device and browser
	Network     string   // signin_alert: the IP network
	Heading     string   // sequence: staff's title in the recipient's language
	Body        string   // sequence: staff's text
	Paragraphs  []string // sequence: Body by paragraph (HTML)
	Unsubscribe string   // sequence: the link that stops it
	Pixel       string   // sequence: the image that counts an email opened
}

// lessonView is one lesson of a digest.
type lessonView struct {
	When    string
	With    string
	Subject string
}

// newView formats ev for to in lang.
func newView(ev Event, to Recipient, lang string) view {
	loc := orUTC(to.Location)
	v := view{
		Name:        to.Name,
		With:        otherParty(ev, to.Name),
		Tutor:       ev.TutorName,
		Student:     ev.StudentName,
		Subject:     cmp.Or(ev.SubjectNames[lang], ev.Subject),
		When:        formatSpan(ev.Start, ev.End, to.Location, lang),
		OldWhen:     formatInstant(ev.OldStart, to.Location, lang),
		Before:      formatBefore(ev.Offset, lang),
		JoinURL:     ev.JoinURL,
		Link:        ev.Link,
		Reason:      systemReason(ev.Reason, lang),
		LateCancel:  ev.LateCancel,
		Pending:     ev.Pending,
		Credits:     ev.Credits,
		Expires:     formatInstant(ev.ExpiresAt, to.Location, lang),
		Rating:      ev.Rating,
		Device:      ev.Device,
		Network:     ev.Network,
		Unsubscribe: ev.Unsubscribe,
		Pixel:       ev.Pixel,
	}
	if len(ev.Texts) > 0 {
		t, ok := ev.Texts[lang]
		if !ok || t.Title == "" {
			t = ev.Texts[english]
		}
		v.Heading, v.Body = strings.TrimSpace(t.Title), strings.TrimSpace(t.Body)
		for _, p := range strings.Split(v.Body, "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				v.Paragraphs = append(v.Paragraphs, p)
			}
		}
	}
	if r := min(max(ev.Rating, 0), 5); r > 0 {
		v.Stars = strings.Repeat("★", r) + strings.Repeat("☆", 5-r)
	}
	if ev.Currency != "" {
		v.Amount = billing.Format(ev.Amount, ev.Currency, lang)
	}
	if !ev.ExpiresAt.IsZero() {
		v.ExpiresDay = formatDay(ev.ExpiresAt.In(loc), lang)
	}
	for _, l := range ev.Lessons {
		with := l.OtherParty
		if with == "" {
			with = cmp.Or(l.StudentName, l.TutorName)
		}
		v.Lessons = append(v.Lessons, lessonView{
			When: formatSpan(l.Start, l.End, to.Location, lang), With: with, Subject: l.Subject,
		})
	}
	return v
}

// otherParty is the name the recipient reads as "with ...": OtherParty,
// else whichever of tutor and student is not the recipient.
func otherParty(ev Event, recipient string) string {
	switch {
	case ev.OtherParty != "":
		return ev.OtherParty
	case recipient != "" && recipient == ev.TutorName:
		return cmp.Or(ev.StudentName, ev.TutorName)
	case recipient != "" && recipient == ev.StudentName:
		return cmp.Or(ev.TutorName, ev.StudentName)
	default:
		return cmp.Or(ev.TutorName, ev.StudentName)
	}
}

// Reasons the server gives a cancelled lesson (cancel_reason), shown in the
// reader's language (internal/msg); a person's own reason is shown as
// written.
const (
	ReasonUnpaid      = "unpaid"         // not paid by its deadline
	ReasonRescheduled = "rescheduled"    // the old lesson of a reschedule
	ReasonTimeOff     = "time_off"       // the tutor took time off over it
	ReasonClosed      = "account_closed" // the student's or tutor's account was erased
)

// systemReason is reason in lang when the server wrote it (the catalogue
// of internal/msg has those); a reason a person wrote is kept as written.
func systemReason(reason, lang string) string { return msg.Reason(lang, reason) }

// english is the language a follow-up's words fall back to.
const english = lang.English
