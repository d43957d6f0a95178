package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/assistant"
	"tutorbase/internal/config"

	"github.com/stretchr/testify/require"
)

// TestAssistantLanguageModelFailures: whatever goes wrong with the
// language model (unreachable, an answer that is not JSON, an answer
// with nothing in it), the FAQ entry as written is the answer.
func TestAssistantLanguageModelFailures(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]string{
		"unreachable": "",
		"not JSON":    `<html>Bad gateway</html>`,
		"no choices":  `{"choices":[]}`,
		"blank":       `{"choices":[{"message":{"role":"assistant","content":"  "}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(answer))
			}))
			t.Cleanup(llm.Close)
			if answer == "" {
				llm.Close() // nothing listens there any more
			}
			cfg := hookstest.Config
			cfg.LLM = config.LLM{BaseURL: llm.URL + "/v1", APIKey: "sk-fake", Model: "tiny-model"}
			d := newHelpDesk(t, cfg)
			status, a, body := d.ask(t, cast.Tokens[hookstest.Student], "how can I cancel my lesson")
			require.Equal(t, 200, status, body)
			require.Equal(t, "Open the lesson and press Cancel. In time, your credit comes back.", a.Answer)
			require.False(t, a.Phrased)
		})
	}
}

// TestAssistantOddQuestions: a body that is not an object is refused; a
// question of no words (only punctuation) is not answered from the FAQ,
// and is recorded for staff as it was typed.
func TestAssistantOddQuestions(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	res := hookstest.Call(t, d.srv, http.MethodPost, "/api/assistant", cast.Tokens[hookstest.Student], []string{"how can I cancel my lesson"})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.NotContains(t, string(res.Body), "Cancel", "not answered")
	require.Zero(t, countOf(t, d.app, "assistant_questions"))

	status, a, body := d.ask(t, d.noraToken, "???")
	require.Equal(t, 200, status, body)
	require.False(t, a.Answered)
	require.Equal(t, assistant.UnknownText("en"), a.Answer)
	rows, err := d.app.FindAllRecords("assistant_questions")
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "???", rows[0].GetString("key"))
}

// TestAssistantQuestionThatCannotBeRecorded: when an unanswered question
// cannot be kept for staff, the person is told something went wrong
// (not that the school will answer), without the internal error.
func TestAssistantQuestionThatCannotBeRecorded(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	_, err := d.app.DB().NewQuery(`CREATE TRIGGER full_disk BEFORE INSERT ON assistant_questions
		BEGIN SELECT RAISE(ABORT, 'disk full'); END`).Execute()
	require.NoError(t, err)
	res := hookstest.Call(t, d.srv, http.MethodPost, "/api/assistant", cast.Tokens[hookstest.Student], map[string]any{"question": "Is there parking for bikes?"})
	refusedSafely(t, res)
	require.NotContains(t, string(res.Body), "passed the question on")
}

// TestAssistantZoneOfSomeoneWithout: a person stored without a time zone
// (an import) hears their next lesson in the school's zone.
func TestAssistantZoneOfSomeoneWithout(t *testing.T) {
	t.Parallel()
	d := newHelpDesk(t, hookstest.Config)
	_, err := d.app.DB().NewQuery("UPDATE users SET timezone = '' WHERE id = {:id}").Bind(map[string]any{"id": cast.Users[hookstest.Student]}).Execute()
	require.NoError(t, err)
	status, a, body := d.ask(t, cast.Tokens[hookstest.Student], "When is my next lesson?")
	require.Equal(t, 200, status, body)
	require.True(t, strings.Contains(a.Answer, "(Europe/Rome)") || strings.Contains(a.Answer, "ora di Roma"), a.Answer)
	require.NotEmpty(t, a.Sources[0].ID, "a lesson, not none")
}
