package config

import (
	"errors"
	"fmt"
	"strings"
)

// LLM is an optional OpenAI-compatible chat endpoint that phrases the help
// assistant's answers from the FAQ entries it retrieved (docs/insight.md).
// Without it the assistant answers with the best entry as it is written.
type LLM struct {
	BaseURL string // TB_LLM_BASE_URL, e.g. https://api.openai.com/v1 (its /chat/completions is called)
	APIKey  string // TB_LLM_API_KEY, sent as a bearer token
	Model   string // TB_LLM_MODEL; DefaultLLMModel when empty
}

// DefaultLLMModel is the model asked when TB_LLM_MODEL is not set.
const DefaultLLMModel = "gpt-4o-mini"

// On reports whether a model phrases the answers.
func (l LLM) On() bool { return l.BaseURL != "" && l.APIKey != "" }

func (c *Config) readLLM(env map[string]string) []error {
	l := LLM{BaseURL: strings.TrimRight(env["TB_LLM_BASE_URL"], "/"), APIKey: env["TB_LLM_API_KEY"], Model: env["TB_LLM_MODEL"]}
	if l.Model == "" {
		l.Model = DefaultLLMModel
	}
	var errs []error
	if (l.BaseURL == "") != (l.APIKey == "") {
		errs = append(errs, errors.New("TB_LLM_BASE_URL and TB_LLM_API_KEY must be set together"))
	}
	if l.BaseURL != "" {
		if err := checkURL(l.BaseURL); err != nil {
			errs = append(errs, fmt.Errorf("TB_LLM_BASE_URL: %w", err))
		}
	}
	c.LLM = l
	return errs
}
