package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/assist"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// helpDesk is a cast clone with three FAQ entries and a student with no
// lessons yet (Nora), for the help assistant's tests.
type helpDesk struct {
	app       *tests.TestApp
	srv       *httptest.Server
	faq       map[string]string // entry ids by key
	nora      *core.Record
	noraToken string
}

func newHelpDesk(t *testing.T, cfg config.Config) *helpDesk {
	t.Helper()
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	d := &helpDesk{app: app, faq: map[string]string{}}
	// the access table's fixture entry and question out: these tests count on their own
	for _, table := range []string{"faq", "assistant_questions"} {
		_, err := app.DB().NewQuery("DELETE FROM " + table).Execute()
		require.NoError(t, err)
	}
	col, err := app.FindCachedCollectionByNameOrId("faq")
	require.NoError(t, err)
	for key, e := range map[string][3]string{
		"cancel_en": {"How do I cancel a lesson?", "Open the lesson and press Cancel. In time, your credit comes back.", "en"},
		"cancel_it": {"Come disdico una lezione?", "Apri la lezione e premi Disdici. In tempo, il credito torna.", "it"},
		"pay_en":    {"How can I pay?", "By card, or by bank transfer to the school.", "en"},
	} {
		r := core.NewRecord(col)
		r.Load(map[string]any{"question": e[0], "answer": e[1], "language": e[2]})
		require.NoError(t, app.Save(r))
		d.faq[key] = r.Id
	}
	d.nora, err = hookstest.CreateUser(app, "nora@test.localhost", "Nora Nobody", platform.RoleStudent)
	require.NoError(t, err)
	d.nora.Set("timezone", "Europe/Rome")
	d.nora.Set("locale", "en")
	require.NoError(t, app.Save(d.nora))
	d.noraToken, err = d.nora.NewAuthToken()
	require.NoError(t, err)
	d.srv = hookstest.Serve(t, app)
	return d
}

func (d *helpDesk) ask(t *testing.T, token, question string) (int, assist.AnswerJSON, string) {
	t.Helper()
	res := hookstest.Call(t, d.srv, http.MethodPost, "/api/assistant", token, map[string]any{"question": question})
	var a assist.AnswerJSON
	_ = json.Unmarshal(res.Body, &a)
	return res.Status, a, string(res.Body)
}

func TestAssistantFAQ(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	student := cast.Tokens[hookstest.Student]

	status, a, _ := d.ask(t, student, "how can I cancel my lesson")
	require.Equal(t, 200, status)
	require.Equal(t, "Open the lesson and press Cancel. In time, your credit comes back.", a.Answer)
	require.Equal(t, "en", a.Language, "an English question is answered in English, whatever the person's locale")
	require.True(t, a.Answered)
	require.False(t, a.Phrased)
	require.Equal(t, assist.SourceJSON{Kind: "faq", ID: d.faq["cancel_en"], Title: "How do I cancel a lesson?", Link: "/help#faq-" + d.faq["cancel_en"]}, a.Sources[0])

	_, a, _ = d.ask(t, student, "Come disdico la lezione di domani?")
	require.Equal(t, "Apri la lezione e premi Disdici. In tempo, il credito torna.", a.Answer, "the entry of the question's language")
	require.Equal(t, d.faq["cancel_it"], a.Sources[0].ID)

	_, a, _ = d.ask(t, student, "pay by bank transfer?")
	require.Equal(t, d.faq["pay_en"], a.Sources[0].ID)
	require.Len(t, a.Sources, 1)

	// unanswered: recorded once per question, counted, for staff
	_, a, _ = d.ask(t, student, "Is there parking for bikes?")
	require.False(t, a.Answered)
	require.Equal(t, "I have no answer to that yet: I passed the question on to the school, which will add the answer to the FAQ.", a.Answer)
	require.Empty(t, a.Sources)
	res := hookstest.Fire(t, d.srv, 8, http.MethodPost, "/api/assistant", student, map[string]any{"question": "is there PARKING for bikes"})
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(res))
	rows, err := d.app.FindAllRecords("assistant_questions")
	require.NoError(t, err)
	require.Len(t, rows, 1, "one row for the same words, asked at once")
	require.Equal(t, "Is there parking for bikes?", rows[0].GetString("question"))
	require.Equal(t, 9, rows[0].GetInt("asked"))
	require.Equal(t, "open", rows[0].GetString("status"))
	require.Equal(t, "en", rows[0].GetString("language"))

	// staff see it; nobody else
	list := hookstest.Call(t, d.srv, http.MethodGet, "/api/collections/assistant_questions/records", cast.Tokens[hookstest.Admin], nil)
	require.Contains(t, string(list.Body), `"totalItems":1`)
	list = hookstest.Call(t, d.srv, http.MethodGet, "/api/collections/assistant_questions/records", student, nil)
	require.Contains(t, string(list.Body), `"totalItems":0`)
}

func TestAssistantRefusals(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	student := cast.Tokens[hookstest.Student]
	for _, c := range []struct {
		name, question string
		status         int
		want           string
	}{
		{"an empty question", "  \n ", 400, `"question":{"code":"validation_required","message":"Fai una domanda."}`},
		{"a long question", strings.Repeat("lezione ", 70), 400, `"question":{"code":"validation_length_too_long","message":"Al massimo 500 caratteri."}`},
	} {
		status, _, body := d.ask(t, student, c.question)
		require.Equal(t, c.status, status, c.name)
		require.Contains(t, body, c.want, c.name)
	}
	res := hookstest.Call(t, d.srv, http.MethodPost, "/api/assistant", "", map[string]any{"question": "When is my next lesson?"})
	require.Equal(t, 401, res.Status, "visitors have no lessons to ask about")
	n, err := d.app.CountRecords("assistant_questions")
	require.NoError(t, err)
	require.Zero(t, n, "a refused question is not recorded")
}

// TestAssistantPersonal: "when is my next lesson?" and "how many credits
// do I have?" are answered from the caller's own records only.
func TestAssistantPersonal(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	_, a, _ := d.ask(t, d.noraToken, "When is my next lesson?")
	require.Equal(t, "You have no lessons booked.", a.Answer)
	require.Equal(t, "next_lesson", a.Intent)

	tutor := cast.Tutors[hookstest.Tutor]
	book := func(days int, status string) string {
		col, err := d.app.FindCachedCollectionByNameOrId("bookings")
		require.NoError(t, err)
		r := core.NewRecord(col)
		r.Load(map[string]any{"tutor": tutor, "student": d.nora.Id, "start": romeTime(days, 6, 0), "end": romeTime(days, 7, 0), "status": status})
		require.NoError(t, d.app.SaveWithContext(importedCtx(), r))
		return r.Id
	}
	book(-2, "completed")
	book(-1, "confirmed") // past, not marked completed yet: not next
	book(1, "cancelled")
	next := book(2, "confirmed")
	book(5, "pending")
	tutorRec, err := d.app.FindRecordById("tutors", tutor)
	require.NoError(t, err)
	start := romeTime(2, 6, 0).In(rome)
	when := start.Format("Mon 2 Jan 2006") + ", 06:00–07:00 (Europe/Rome)"
	_, a, _ = d.ask(t, d.noraToken, "When is my next lesson?")
	require.Equal(t, "Your next lesson is with "+tutorRec.GetString("name")+", "+when+".", a.Answer)
	require.Equal(t, []assist.SourceJSON{{Kind: "lessons", ID: next, Title: "Your lessons", Link: "/lessons/" + next}}, a.Sources)
	_, a, _ = d.ask(t, d.noraToken, "quando ho la prossima lezione?")
	require.Equal(t, "La tua prossima lezione è con "+tutorRec.GetString("name")+", "+notify.FormatSpan(start, start.Add(time.Hour), rome, "it")+".", a.Answer)

	// the tutor's next lesson names the student; another student never sees Nora's
	_, a, _ = d.ask(t, cast.Tokens[hookstest.Tutor], "when is my next lesson")
	require.True(t, strings.HasPrefix(a.Answer, "Your next lesson is with "), a.Answer)
	_, a, _ = d.ask(t, cast.Tokens[hookstest.Student2], "when is my next lesson")
	require.NotContains(t, a.Answer, "Nora")
	require.NotContains(t, a.Answer, when)

	// credits: the fixture's paid package of the student
	_, a, _ = d.ask(t, d.noraToken, "How many credits do I have?")
	require.Equal(t, "You have no lesson credits left.", a.Answer)
	p, err := d.app.FindRecordById("purchases", cast.IDs["purchase"])
	require.NoError(t, err)
	left := p.GetInt("credits_total") - p.GetInt("credits_used")
	require.Positive(t, left)
	until := p.GetDateTime("expires_at").Time().In(rome)
	_, a, _ = d.ask(t, cast.Tokens[hookstest.Student], "Quanti crediti ho?")
	require.Equal(t, "Hai "+strconv.Itoa(left)+" crediti: "+strconv.Itoa(left)+" in Ten lessons (fino al "+notify.FormatDay(until, rome, "it")+").", a.Answer)
	require.Equal(t, []assist.SourceJSON{{Kind: "credits", Title: "I tuoi crediti", Link: "/credits"}}, a.Sources)
	n, err := d.app.CountRecords("assistant_questions")
	require.NoError(t, err)
	require.Zero(t, n, "personal questions are answered, not recorded")
}

// TestAssistantLanguageModel: with TB_LLM_* set, the production client
// asks the (fake) OpenAI-compatible endpoint to phrase the answer from the
// retrieved entries only; when it fails, the entry is the answer.
func TestAssistantLanguageModel(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var fail atomic.Bool
	llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if fail.Load() {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
		}
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-fake" || json.Unmarshal(body, &req) != nil ||
			req.Model != "tiny-model" || len(req.Messages) != 2 || req.Messages[1].Content != "how can I cancel my lesson" ||
			!strings.Contains(req.Messages[0].Content, "[1] How do I cancel a lesson?\nOpen the lesson and press Cancel.") ||
			strings.Contains(req.Messages[0].Content, "bank transfer") {
			http.Error(w, "unexpected request: "+string(body), http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":" Press Cancel on the lesson's page; cancelled in time, the credit returns. "}}]}`))
	}))
	t.Cleanup(llm.Close)
	cfg := hookstest.Config
	cfg.LLM = config.LLM{BaseURL: llm.URL + "/v1", APIKey: "sk-fake", Model: "tiny-model"}
	d := newHelpDesk(t, cfg)
	student := cast.Tokens[hookstest.Student]

	_, a, _ := d.ask(t, student, "how can I cancel my lesson")
	require.Equal(t, "Press Cancel on the lesson's page; cancelled in time, the credit returns.", a.Answer)
	require.True(t, a.Phrased)
	require.Equal(t, d.faq["cancel_en"], a.Sources[0].ID, "the sources stay the retrieved entries")

	fail.Store(true)
	_, a, _ = d.ask(t, student, "how can I cancel my lesson")
	require.Equal(t, "Open the lesson and press Cancel. In time, your credit comes back.", a.Answer, "the entry as written")
	require.False(t, a.Phrased)

	_, a, _ = d.ask(t, student, "How many credits do I have?")
	require.Equal(t, int32(2), calls.Load(), "personal answers never go to the model")
	require.Equal(t, "credits", a.Intent)
}

// TestAssistantGuardianNextLesson: a guardian has no lessons of their own;
// "my next lesson" answers with each of their students' next lessons,
// named, and nothing of a student they do not follow.
func TestAssistantGuardianNextLesson(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	gina := addPerson(t, d.app, "gina@test.localhost", "Gina Guardian", platform.RoleGuardian)
	_, a, _ := d.ask(t, gina.token, "When is my next lesson?")
	require.Equal(t, "You follow no students yet, so there are no lessons booked.", a.Answer, "no students yet")
	leo := addPerson(t, d.app, "leo@test.localhost", "Leo Little", platform.RoleStudent)
	links, err := d.app.FindCachedCollectionByNameOrId("guardians")
	require.NoError(t, err)
	for _, kid := range []string{d.nora.Id, leo.id} {
		r := core.NewRecord(links)
		r.Load(map[string]any{"student": kid, "guardian": gina.id, "email": "gina@test.localhost", "status": "accepted"})
		require.NoError(t, d.app.Save(r))
	}
	tutor := cast.Tutors[hookstest.Tutor]
	bookings, err := d.app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	var next string
	for _, b := range []struct {
		student      string
		days         int
		status, name string
	}{{d.nora.Id, 1, "cancelled", ""}, {d.nora.Id, 3, "confirmed", "next"}, {d.nora.Id, 6, "pending", ""}} {
		r := core.NewRecord(bookings)
		r.Load(map[string]any{"tutor": tutor, "student": b.student, "start": romeTime(b.days, 6, 0), "end": romeTime(b.days, 7, 0), "status": b.status})
		require.NoError(t, d.app.SaveWithContext(importedCtx(), r))
		if b.name == "next" {
			next = r.Id
		}
	}
	tutorRec, err := d.app.FindRecordById("tutors", tutor)
	require.NoError(t, err)
	start := romeTime(3, 6, 0).In(rome)
	when := start.Format("Mon 2 Jan 2006") + ", 06:00–07:00 (Europe/Rome)"
	_, a, _ = d.ask(t, gina.token, "When is my next lesson?")
	require.Equal(t, "next_lesson", a.Intent)
	require.Equal(t, "Nora Nobody's next lesson is with "+tutorRec.GetString("name")+", "+when+". Leo Little has no lessons booked.", a.Answer)
	require.Equal(t, []assist.SourceJSON{{Kind: "lessons", ID: next, Title: "Nora Nobody's lessons", Link: "/lessons/" + next}}, a.Sources)
	_, a, _ = d.ask(t, gina.token, "Quando ho la prossima lezione?")
	require.Equal(t, "La prossima lezione di Nora Nobody è con "+tutorRec.GetString("name")+", "+notify.FormatSpan(start, start.Add(time.Hour), rome, "it")+
		". Leo Little non ha lezioni in programma.", a.Answer)

	// another guardian, of nobody here, sees none of it
	olga := addPerson(t, d.app, "olga@test.localhost", "Olga Other", platform.RoleGuardian)
	_, a, _ = d.ask(t, olga.token, "When is my next lesson?")
	require.Equal(t, "You follow no students yet, so there are no lessons booked.", a.Answer)
}
