package assist

import (
	"fmt"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/assistant"
	"tutorbase/internal/textsearch"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// MaxSources is how many FAQ entries an answer cites (and a model reads).
const MaxSources = 3

// MinCoverage is the share of a question's words the best entry must hold
// for the assistant to answer with it: below, the question is recorded
// for staff instead of answered with a poor guess.
const MinCoverage = 0.5

type faqRow struct {
	ID       string `db:"id"`
	Question string `db:"question"`
	Answer   string `db:"answer"`
	Language string `db:"language"`
}

// fromFAQ answers q with the FAQ entries BM25 ranks best, preferring
// those in lang; with none good enough it records q for staff.
func (s *Service) fromFAQ(e *core.RequestEvent, q, lang string, out *AnswerJSON) error {
	var rows []faqRow
	if err := e.App.DB().NewQuery("SELECT id, question, answer, language FROM faq ORDER BY created, id").All(&rows); err != nil {
		return fmt.Errorf("failed to load the FAQ: %w", err)
	}
	hits := bestEntries(rows, q, lang)
	if len(hits) == 0 {
		out.Answered = false
		out.Answer = assistant.UnknownText(lang)
		return recordQuestion(e.App, q, lang, s.env)
	}
	sources := make([]assistant.Source, len(hits))
	for i, r := range hits {
		sources[i] = assistant.Source{Title: r.Question, Text: r.Answer}
		out.Sources = append(out.Sources, SourceJSON{Kind: "faq", ID: r.ID, Title: r.Question, Link: "/help#faq-" + r.ID})
	}
	out.Answer = hits[0].Answer
	if s.env.Config.LLM.On() {
		text, err := s.phrase(e.Request.Context(), q, lang, sources)
		if err != nil {
			e.App.Logger().Warn("the language model did not answer; the FAQ entry is the answer", "error", err)
		} else {
			out.Answer, out.Phrased = text, true
		}
	}
	return nil
}

// bestEntries ranks the entries for q and keeps up to MaxSources of the
// language that answers (lang when it has an entry covering enough of q,
// else any), best first; none when no entry covers MinCoverage of q's
// words. An entry's question counts twice: it says what the entry is about.
func bestEntries(rows []faqRow, q, lang string) []faqRow {
	words := len(textsearch.Terms(q))
	if words == 0 {
		return nil
	}
	pick := func(keep func(faqRow) bool) []faqRow {
		var docs []faqRow
		var texts []string
		for _, r := range rows {
			if keep(r) {
				docs = append(docs, r)
				texts = append(texts, r.Question+"\n"+r.Question+"\n"+r.Answer)
			}
		}
		hits := textsearch.NewIndex(texts).Search(q)
		if len(hits) == 0 || float64(len(hits[0].Matched)) < MinCoverage*float64(words) {
			return nil
		}
		var out []faqRow
		for _, h := range hits[:min(MaxSources, len(hits))] {
			out = append(out, docs[h.Doc])
		}
		return out
	}
	if out := pick(func(r faqRow) bool { return r.Language == lang }); out != nil {
		return out
	}
	return pick(func(faqRow) bool { return true })
}

// recordQuestion keeps an unanswered question for staff, once per key
// (its folded words): a repeat counts up and reopens it unless staff
// dismissed it. One statement on the unique key, so questions asked at
// once are counted, never duplicated.
func recordQuestion(app core.App, q, lang string, env platform.Env) error {
	key := strings.Join(textsearch.Keys(q), " ")
	if key == "" {
		key = strings.ToLower(q)
	}
	now := platform.DBTime(env.Now())
	_, err := app.DB().NewQuery(`INSERT INTO assistant_questions (id, question, key, language, asked, status, faq, created, updated)
		VALUES ({:id}, {:q}, {:key}, {:lang}, 1, 'open', '', {:now}, {:now})
		ON CONFLICT (key) DO UPDATE SET asked = asked + 1, updated = {:now},
		status = CASE WHEN status = 'dismissed' THEN 'dismissed' ELSE 'open' END`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "q": q, "key": key, "lang": lang, "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("failed to record the question: %w", err)
	}
	return nil
}
