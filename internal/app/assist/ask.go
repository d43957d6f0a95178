package assist

import (
	"net/http"
	"unicode/utf8"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/assistant"
	"tutorbase/internal/oneline"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// MaxQuestion is the longest question, in characters.
const MaxQuestion = 500

// SourceJSON is what an answer was built from, for the person to check:
// an FAQ entry ("faq"), or their own lessons ("lessons") or credits
// ("credits"), with a link into the web app.
type SourceJSON struct {
	Kind  string `json:"kind"`
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	Link  string `json:"link"`
}

// AnswerJSON answers POST /api/assistant.
type AnswerJSON struct {
	Answer   string       `json:"answer"`
	Sources  []SourceJSON `json:"sources"`
	Intent   string       `json:"intent,omitempty"` // next_lesson, credits; empty for the FAQ
	Phrased  bool         `json:"phrased"`          // a language model wrote the answer from the sources
	Answered bool         `json:"answered"`         // false: recorded for staff
	Language string       `json:"language"`
}

// Ask answers POST /api/assistant {question} for the signed-in person.
func (s *Service) Ask(e *core.RequestEvent) error {
	var body struct {
		Question string `json:"question"`
	}
	if err := e.BindBody(&body); err != nil {
		return apis.NewBadRequestError("Failed to read the request body.", nil)
	}
	q := oneline.Clean(body.Question)
	switch {
	case q == "":
		return apis.NewBadRequestError("Invalid question.", validation.Errors{"question": validation.NewError("validation_required", "Ask a question.")})
	case utf8.RuneCountInString(q) > MaxQuestion:
		return apis.NewBadRequestError("Invalid question.", validation.Errors{"question": validation.NewError("validation_length_too_long", "At most 500 characters.")})
	}
	lang := assistant.Language(q, platform.RequestLang(e))
	out := AnswerJSON{Language: lang, Sources: []SourceJSON{}, Answered: true}
	var err error
	switch intent := assistant.Detect(q); intent {
	case assistant.NextLesson:
		out.Intent = string(intent)
		err = s.nextLesson(e.App, e.Auth, lang, &out)
	case assistant.Credits:
		out.Intent = string(intent)
		err = s.credits(e.App, e.Auth, lang, &out)
	default:
		err = s.fromFAQ(e, q, lang, &out)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}
