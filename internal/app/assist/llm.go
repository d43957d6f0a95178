package assist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"tutorbase/internal/assistant"
)

// MaxLLMAnswer bounds what is read of the model's answer.
const MaxLLMAnswer = 64 << 10

// phrase asks the OpenAI-compatible endpoint of the configuration to
// answer q from sources only (assistant.Prompt), and answers its text.
func (s *Service) phrase(ctx context.Context, q, lang string, sources []assistant.Source) (string, error) {
	cfg := s.env.Config.LLM
	body, _ := json.Marshal(map[string]any{ // strings and numbers: always encodes
		"model": cfg.Model, "messages": assistant.Prompt(q, lang, sources), "temperature": 0, "max_tokens": 300,
	})
	ctx, cancel := context.WithTimeout(ctx, LLMTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.BaseURL+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cfg.APIKey)
	res, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("failed to call the language model: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the language model answered %d", res.StatusCode)
	}
	var ans struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, MaxLLMAnswer)).Decode(&ans); err != nil {
		return "", fmt.Errorf("failed to read the language model's answer: %w", err)
	}
	if len(ans.Choices) == 0 || strings.TrimSpace(ans.Choices[0].Message.Content) == "" {
		return "", errors.New("the language model answered nothing")
	}
	return strings.TrimSpace(ans.Choices[0].Message.Content), nil
}
