package notify

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

const (
	testJoin = "https://meet.jit.si/tutorbase-7f3a9c"
	testLink = "http://127.0.0.1:8090/bookings/b123"
)

// testStart is a Tuesday at 14:00 UTC: 15:00 in Rome, 09:00 in New York.
var testStart = time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)

// fullEvent is an event of kind with every field its kind may use.
func fullEvent(kind string) Event {
	ev := Event{
		Kind: kind, Start: testStart, End: testStart.Add(time.Hour), OldStart: testStart.Add(-24 * time.Hour),
		TutorName: "Anna Bianchi", StudentName: "Luca Rossi", OtherParty: "Luca Rossi", Subject: "Matematica",
		JoinURL: testJoin, Reason: "Sick", LateCancel: true, Amount: 1250, Currency: "EUR", Credits: 1,
		ExpiresAt: testStart.Add(72 * time.Hour), Rating: 5, Link: testLink, Offset: time.Hour,
		Lessons: []Event{
			{Start: testStart, End: testStart.Add(time.Hour), StudentName: "Luca Rossi", Subject: "Matematica"},
			{Start: testStart.Add(48 * time.Hour), End: testStart.Add(49 * time.Hour), StudentName: "Sara Verdi"},
		},
	}
	if kind == KindSequence {
		ev.Texts = map[string]Text{"en": {Title: "Welcome", Body: "Book a first lesson."}, "it": {Title: "Benvenuto", Body: "Prenota."}}
		ev.Unsubscribe, ev.Pixel = "http://127.0.0.1:8090/unsubscribe?token=t", "http://127.0.0.1:8090/api/sequences/open?token=t"
	}
	return ev
}

func TestRenderEveryKindAndLocale(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	for _, kind := range Kinds() {
		for _, locale := range []string{"en", "it"} {
			t.Run(kind+"/"+locale, func(t *testing.T) {
				got, err := Render(fullEvent(kind), Recipient{Name: "Anna Bianchi", Locale: locale, Location: rome})
				if err != nil {
					t.Fatalf("Render() error = %v", err)
				}
				for field, v := range map[string]string{"Title": got.Title, "Text": got.Text, "HTML": got.HTML, "Short": got.Short} {
					if strings.TrimSpace(v) == "" {
						t.Errorf("%s is empty", field)
					}
				}
				if n := utf8.RuneCountInString(got.Short); n > MaxShort {
					t.Errorf("Short has %d characters, want at most %d", n, MaxShort)
				}
				if strings.ContainsAny(got.Title, "\r\n") {
					t.Errorf("Title %q spans lines", got.Title)
				}
				for field, v := range map[string]string{"Text": got.Text, "HTML": got.HTML, "Short": got.Short} {
					if !strings.Contains(v, testJoin) {
						t.Errorf("%s lacks the join link %s:\n%s", field, testJoin, v)
					}
				}
				if !strings.Contains(got.Text, "Anna Bianchi") {
					t.Errorf("Text does not greet the recipient:\n%s", got.Text)
				}
				if !strings.Contains(got.Text, "(Europe/Rome)") && kind != KindTutorVerified && !isMoneyKind(kind) &&
					kind != KindReviewReceived && kind != KindCreditsLow && kind != KindCalendarFeedFailing &&
					kind != KindBackupFailed && kind != KindGoogleDisconnected && kind != KindGuardianInvite &&
					kind != KindMessageUnread && kind != KindThreadReported && kind != KindSequence {
					t.Errorf("Text does not name the zone:\n%s", got.Text)
				}
			})
		}
	}
}

func isMoneyKind(kind string) bool {
	return kind == KindPaymentReceived || kind == KindRefund || kind == KindPayout
}

func TestRenderLanguage(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	tests := []struct {
		name   string
		kind   string
		locale string
		want   []string // substrings of Title + Text
	}{
		{"reminder en", KindReminder, "en", []string{"in 1 hour", "Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)", "Luca Rossi"}},
		{"reminder it", KindReminder, "it-IT", []string{"tra 1 ora", "mar 1 dic 2026, 15:00–16:00 (Europe/Rome)", "Promemoria"}},
		{"payment en", KindPaymentReceived, "en", []string{"€12.50"}},
		{"payment it", KindPaymentReceived, "it", []string{"€ 12,50", "Pagamento ricevuto"}},
		{"other locale is english", KindPayout, "fr", []string{"Payout of €12.50 sent"}},
		{"empty locale is english", KindBookingConfirmed, "", []string{"confirmed"}},
		{"cancelled it", KindBookingCancelled, "it", []string{"annullata", "Motivo: Sick", "cancellazione tardiva"}},
		{"rescheduled en", KindBookingRescheduled, "en", []string{"from Mon 30 Nov 2026, 15:00 (Europe/Rome) to Tue 1 Dec"}},
		{"series en", KindBookingCreated, "en", []string{"2 weekly lessons booked with Luca Rossi", "\n- Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)\n- Thu 3 Dec 2026, 15:00–16:00 (Europe/Rome)"}},
		{"series it", KindBookingCreated, "it", []string{"2 lezioni settimanali prenotate", "\n- mar 1 dic 2026, 15:00–16:00 (Europe/Rome)\n- gio 3 dic 2026"}},
		{"digest it", KindDigest, "it", []string{"2 lezioni", "gio 3 dic 2026, 15:00–16:00 (Europe/Rome): Sara Verdi"}},
		{"expiring en", KindPackageExpiring, "en", []string{"expires on Fri 4 Dec 2026", "1 lesson credit"}},
		{"credits it", KindCreditsLow, "it", []string{"Ti resta solo 1 credito"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(fullEvent(tt.kind), Recipient{Name: "Anna", Locale: tt.locale, Location: rome})
			if err != nil {
				t.Fatalf("Render() error = %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.Title+"\n"+got.Text, w) {
					t.Errorf("Title+Text lack %q:\n%s\n%s", w, got.Title, got.Text)
				}
			}
		})
	}
}

func TestRenderShowsRecipientZone(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
		loc   *time.Location
		want  string
	}{
		{"rome winter", testStart, mustLoc(t, "Europe/Rome"), "15:00–16:00 (Europe/Rome)"},
		{"rome summer", time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC), mustLoc(t, "Europe/Rome"), "16:00–17:00 (Europe/Rome)"},
		{"new york", testStart, mustLoc(t, "America/New_York"), "09:00–10:00 (America/New_York)"},
		{"kolkata half hour", testStart, mustLoc(t, "Asia/Kolkata"), "19:30–20:30 (Asia/Kolkata)"},
		{"no zone is UTC", testStart, nil, "14:00–15:00 (UTC)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := fullEvent(KindReminder)
			ev.Start, ev.End = tt.start, tt.start.Add(time.Hour)
			got, err := Render(ev, Recipient{Name: "Luca", Locale: "en", Location: tt.loc})
			if err != nil {
				t.Fatalf("Render() error = %v", err)
			}
			for field, v := range map[string]string{"Text": got.Text, "HTML": got.HTML, "Short": got.Short} {
				if !strings.Contains(v, tt.want) {
					t.Errorf("%s lacks %q:\n%s", field, tt.want, v)
				}
			}
		})
	}
}

func TestRenderReminderOffset(t *testing.T) {
	tests := []struct {
		name   string
		offset time.Duration
		locale string
		want   string
	}{
		{"hour en", time.Hour, "en", "starts in 1 hour:"},
		{"hour it", time.Hour, "it", "inizia tra 1 ora:"},
		{"day en", 24 * time.Hour, "en", "starts in 24 hours:"},
		{"day it", 24 * time.Hour, "it", "inizia tra 24 ore:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := fullEvent(KindReminder)
			ev.Offset = tt.offset
			got, err := Render(ev, Recipient{Locale: tt.locale})
			if err != nil {
				t.Fatalf("Render() error = %v", err)
			}
			if !strings.Contains(got.Text, tt.want) {
				t.Errorf("Text lacks %q:\n%s", tt.want, got.Text)
			}
		})
	}
}

func TestRenderEscapesHTML(t *testing.T) {
	ev := fullEvent(KindBookingCancelled)
	ev.OtherParty = `<script>alert("x")</script>`
	ev.Reason = `<img src=x onerror=alert(1)>`
	ev.Link = "javascript:alert(1)"
	got, err := Render(ev, Recipient{Name: "<b>Anna</b>", Locale: "en"})
	if err != nil {
		t.Fatalf("Render() error = %v", err)
	}
	for _, bad := range []string{"<script>", "<img", "<b>Anna", `href="javascript:`} {
		if strings.Contains(got.HTML, bad) {
			t.Errorf("HTML contains %q unescaped:\n%s", bad, got.HTML)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;img src=x", "&lt;b&gt;Anna"} {
		if !strings.Contains(got.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, got.HTML)
		}
	}
	// Plain text is not HTML: names stay as written.
	if !strings.Contains(got.Text, `<script>alert("x")</script>`) {
		t.Errorf("Text altered the name:\n%s", got.Text)
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name string
		ev   Event
		want error
	}{
		{"unknown kind", Event{Kind: "booking_canceled", Start: testStart}, ErrUnknownKind},
		{"empty kind", Event{}, ErrUnknownKind},
		{"lesson without start", Event{Kind: KindReminder}, ErrIncomplete},
		{"payment without currency", Event{Kind: KindPaymentReceived, Amount: 100}, ErrIncomplete},
		{"expiry without date", Event{Kind: KindPackageExpiring}, ErrIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(tt.ev, Recipient{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Render() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRenderMinimalEvents(t *testing.T) {
	// The fields a kind does not need may be empty without breaking it.
	tests := []Event{
		{Kind: KindTutorVerified},
		{Kind: KindCalendarFeedFailing},
		{Kind: KindBackupFailed},
		{Kind: KindDigest},
		{Kind: KindCreditsLow},
		{Kind: KindReviewReceived, Rating: 4, StudentName: "Luca"},
		{Kind: KindBookingRescheduled, Start: testStart, TutorName: "Anna"},
		{Kind: KindRefund, Amount: 500, Currency: "EUR"},
	}
	for _, ev := range tests {
		for _, locale := range []string{"en", "it"} {
			t.Run(ev.Kind+"/"+locale, func(t *testing.T) {
				got, err := Render(ev, Recipient{Locale: locale})
				if err != nil {
					t.Fatalf("Render() error = %v", err)
				}
				if got.Title == "" || got.Text == "" || got.Short == "" || got.HTML == "" {
					t.Errorf("Render() = %+v, want every form", got)
				}
				if strings.Contains(got.Text, "<no value>") || strings.Contains(got.Text, "()") {
					t.Errorf("Text shows a missing value:\n%s", got.Text)
				}
			})
		}
	}
}

func TestOtherParty(t *testing.T) {
	tests := []struct {
		name      string
		ev        Event
		recipient string
		want      string
	}{
		{"explicit", Event{OtherParty: "Zoe", TutorName: "Anna", StudentName: "Luca"}, "Anna", "Zoe"},
		{"tutor reads student", Event{TutorName: "Anna", StudentName: "Luca"}, "Anna", "Luca"},
		{"student reads tutor", Event{TutorName: "Anna", StudentName: "Luca"}, "Luca", "Anna"},
		{"unknown reader sees tutor", Event{TutorName: "Anna", StudentName: "Luca"}, "Admin", "Anna"},
		{"only student", Event{StudentName: "Luca"}, "", "Luca"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := otherParty(tt.ev, tt.recipient); got != tt.want {
				t.Errorf("otherParty() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFitShort(t *testing.T) {
	long := strings.Repeat("é", 400)
	tests := []struct {
		name, short, link string
		wantLen           int
		wantSuffix        string
	}{
		{"fits", "Lesson at 15:00.", testJoin, 0, "Lesson at 15:00. " + testJoin},
		{"long text keeps link", long, testJoin, MaxShort, "… " + testJoin},
		{"long text no link", long, "", MaxShort, "…"},
		{"huge link dropped", "Lesson.", "https://x.example/" + strings.Repeat("a", 280), 0, "Lesson."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitShort(tt.short, tt.link, MaxShort)
			if n := utf8.RuneCountInString(got); n > MaxShort || (tt.wantLen != 0 && n != tt.wantLen) {
				t.Errorf("fitShort() has %d characters, want %d (at most %d)", n, tt.wantLen, MaxShort)
			}
			if !strings.HasSuffix(got, tt.wantSuffix) {
				t.Errorf("fitShort() = %q, want suffix %q", got, tt.wantSuffix)
			}
		})
	}
}

func TestRenderLongNamesKeepShortWithinLimit(t *testing.T) {
	ev := fullEvent(KindReminder)
	ev.OtherParty = strings.Repeat("Maria Giovanna ", 40)
	ev.Subject = strings.Repeat("Fisica ", 40)
	for _, locale := range []string{"en", "it"} {
		got, err := Render(ev, Recipient{Locale: locale})
		if err != nil {
			t.Fatalf("Render() error = %v", err)
		}
		if n := utf8.RuneCountInString(got.Short); n > MaxShort || !strings.HasSuffix(got.Short, testJoin) {
			t.Errorf("%s: Short has %d characters and ends %q; want at most %d ending in the join link",
				locale, n, got.Short[max(0, len(got.Short)-60):], MaxShort)
		}
	}
}

func TestEmbeddedTemplatesCoverEveryKind(t *testing.T) {
	for _, locale := range []string{"en", "it"} {
		for _, kind := range Kinds() {
			if _, ok := defaultTemplates[locale][kind]; !ok {
				t.Errorf("templates/%s/%s.tmpl is missing", locale, kind)
			}
		}
	}
}

// templatesWithout copies the embedded templates, dropping some files and
// replacing or adding others.
func templatesWithout(t *testing.T, drop []string, put map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templateFS, p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range drop {
		delete(m, p)
	}
	for p, src := range put {
		m[p] = &fstest.MapFile{Data: []byte(src)}
	}
	return m
}

// Every language of internal/lang has every template: a missing one is
// refused when the templates are read (at start), not found at send time.
func TestEveryLanguageHasEveryTemplate(t *testing.T) {
	_, err := parseTemplates(templatesWithout(t, []string{"templates/it/refund.tmpl"}, nil))
	if err == nil || !strings.Contains(err.Error(), "templates it: missing refund.tmpl") {
		t.Fatalf("parseTemplates() error = %v, want the missing Italian refund", err)
	}
}

func TestParseTemplatesRejectsBrokenSets(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"english kind missing", templatesWithout(t, []string{"templates/en/payout.tmpl"}, nil), "missing payout.tmpl"},
		{"misspelt kind", templatesWithout(t, nil, map[string]string{"templates/it/booking_canceled.tmpl": ""}),
			"booking_canceled.tmpl"},
		{"block missing", templatesWithout(t, nil, map[string]string{
			"templates/en/payout.tmpl": `{{define "title"}}x{{end}}{{define "text"}}x{{end}}{{define "html"}}x{{end}}`,
		}), `no "short" block`},
		{"syntax error", templatesWithout(t, nil, map[string]string{"templates/it/payout.tmpl": `{{define "title"}}{{.X`}),
			"payout.tmpl"},
		{"no layout", templatesWithout(t, []string{"templates/it/layout.tmpl"}, nil), "layout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTemplates(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseTemplates() error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestRenderSystemReasonInWords(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	ev := fullEvent(KindBookingCancelled)
	ev.Reason = ReasonUnpaid
	for locale, want := range map[string]string{"en": "Reason: not paid by the deadline", "it": "Motivo: non pagata entro la scadenza"} {
		got, err := Render(ev, Recipient{Name: "Anna", Locale: locale, Location: rome})
		if err != nil {
			t.Fatalf("Render() error = %v", err)
		}
		if !strings.Contains(got.Text, want) {
			t.Errorf("%s: text %q lacks %q", locale, got.Text, want)
		}
	}
}

func TestRenderBookingRequested(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	ev := Event{Kind: KindBookingCreated, Start: testStart, End: testStart.Add(time.Hour), TutorName: "Anna Bianchi", StudentName: "Luca Rossi"}
	for _, c := range []struct {
		locale  string
		pending bool
		want    []string
	}{
		{"en", false, []string{"New lesson booked with Anna Bianchi", "has been booked for Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)."}},
		{"en", true, []string{"Lesson requested with Anna Bianchi", "has been requested for Tue 1 Dec", "It waits for the tutor's confirmation."}},
		{"it", true, []string{"Lezione richiesta con Anna Bianchi", "È stata richiesta una lezione con Anna Bianchi", "Attende la conferma del tutor."}},
	} {
		ev.Pending = c.pending
		got, err := Render(ev, Recipient{Name: "Luca Rossi", Locale: c.locale, Location: rome})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(got.Title+"\n"+got.Text, w) {
				t.Errorf("%s pending=%v: Title+Text lack %q:\n%s\n%s", c.locale, c.pending, w, got.Title, got.Text)
			}
		}
		if !c.pending && strings.Contains(got.Text, "confirmation") {
			t.Errorf("a booked lesson waits for nothing:\n%s", got.Text)
		}
	}
}

// A follow-up's words come from staff in the recipient's language (else
// English), paragraphs become HTML paragraphs with the text escaped, and
// the unsubscribe link and the open pixel are in the email only.
func TestRenderSequence(t *testing.T) {
	ev := Event{Kind: KindSequence, Link: testLink, Unsubscribe: "http://x.test/unsubscribe?token=abc", Pixel: "http://x.test/api/sequences/open?token=abc",
		Texts: map[string]Text{"en": {Title: "Welcome <b>", Body: "First part.\n\nSecond & last."}, "it": {Title: "Benvenuta", Body: "Prima parte."}}}
	it, err := Render(ev, Recipient{Name: "Luca", Locale: "it"})
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Benvenuta" || it.App != "Prima parte." || !strings.Contains(it.Text, "Per non ricevere più questi messaggi: http://x.test/unsubscribe?token=abc") {
		t.Errorf("Italian: %+v", it)
	}
	en, err := Render(ev, Recipient{Name: "Luca", Locale: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<p>First part.</p>", "<p>Second &amp; last.</p>", `<a href="http://x.test/unsubscribe?token=abc">Unsubscribe from these messages</a>`,
		`<img src="http://x.test/api/sequences/open?token=abc"`} {
		if !strings.Contains(en.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, en.HTML)
		}
	}
	if en.Title != "Welcome <b>" || strings.Contains(en.App, "unsubscribe") {
		t.Errorf("English: %+v", en)
	}
	if _, err := Render(Event{Kind: KindSequence, Texts: ev.Texts}, Recipient{}); !errors.Is(err, ErrIncomplete) {
		t.Errorf("without an unsubscribe link: %v", err)
	}
}
