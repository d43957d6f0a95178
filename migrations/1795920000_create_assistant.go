package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// assistantRateLimits bound the help assistant per IP: each question reads
// the FAQ and may call a language model.
var assistantRateLimits = []core.RateLimitRule{
	{Label: "POST /api/assistant", MaxRequests: 20, Duration: 60},
}

// The help assistant (docs/insight.md, Assistance): faq holds the school's
// questions and answers, in Italian or English, written by staff;
// assistant_questions the questions nobody answered yet, without who asked,
// once each (by their folded words, key) with how many times they came.
func init() {
	m.Register(func(app core.App) error {
		faq := core.NewBaseCollection("faq")
		faq.Fields.Add(
			text("question", 300, true),
			text("answer", 4000, true),
			choice("language", true, "it", "en"),
		)
		faq.Fields.Add(timestamps()...)
		faq.AddIndex("idx_faq_language", false, "language", "")
		rules(faq, rule(RuleFAQView), rule(RuleFAQView), rule(RuleFAQWrite), rule(RuleFAQWrite), rule(RuleFAQWrite))
		if err := app.Save(faq); err != nil {
			return err
		}
		q := core.NewBaseCollection("assistant_questions")
		q.Fields.Add(
			text("question", 500, true),
			&core.TextField{Name: "key", Max: 500, Required: true, Hidden: true},
			choice("language", true, "it", "en"),
			integer("asked", 1, 1e9, true),
			choice("status", true, "open", "answered", "dismissed"),
			relation("faq", faq.Id, false, false),
		)
		q.Fields.Add(timestamps()...)
		q.AddIndex("idx_assistant_questions_key", true, "key", "")
		q.AddIndex("idx_assistant_questions_status", false, "status, updated", "")
		rules(q, rule(RuleAssistantQuestions), rule(RuleAssistantQuestions), nil, rule(RuleAssistantQuestions), rule(RuleAssistantQuestions))
		if err := app.Save(q); err != nil {
			return err
		}
		s := app.Settings()
		for _, r := range assistantRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, func(app core.App) error {
		return dropCollections(app, "assistant_questions", "faq")
	})
}
