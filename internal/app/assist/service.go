// Package assist is the explainable assistance of docs/insight.md: the
// help assistant (POST /api/assistant), which answers a question from the
// school's FAQ (BM25, internal/textsearch) or, for personal questions,
// from the caller's own lessons and credits (internal/assistant), and
// optionally has an OpenAI-compatible model phrase the FAQ answer from
// the retrieved entries only. Questions it could not answer are kept, once
// each, for staff to turn into FAQ entries.
package assist

import (
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
)

// Service answers the assistance routes.
type Service struct {
	env    platform.Env
	client *http.Client // the language model's, when configured
}

// LLMTimeout bounds one call to the language model: past it the answer is
// the FAQ entry as written.
const LLMTimeout = 15 * time.Second

// New returns the assistance capability.
func New(env platform.Env) *Service {
	return &Service{env: env, client: &http.Client{Timeout: LLMTimeout}}
}
