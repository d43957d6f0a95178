package platform

import (
	"regexp"
	"strconv"

	"tutorbase/internal/msg"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// TranslateErrorsID names the middleware of TranslateErrors.
const TranslateErrorsID = "tutorbaseTranslateErrors"

// TranslateErrors is the middleware that answers every error in the
// language of the person asking (RequestLang: their saved language, else
// Accept-Language): each field error's message by its code, and the
// headline. The server's code writes English; the catalogue
// (internal/msg) holds every message in every language. It wraps every
// route, PocketBase's own included, and the rate limiter (so it runs just
// after the caller's token is read). A headline that only says "Failed to
// create record." is replaced by the fields' own words: a person reads
// what to change, never only that something failed.
func TranslateErrors() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       TranslateErrorsID,
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			err := e.Next()
			if err == nil || e.Written() {
				return err
			}
			apiErr := router.ToApiError(err)
			Translate(apiErr, RequestLang(e))
			return apiErr
		},
	}
}

// Translate rewrites apiErr's headline and field messages in language.
func Translate(apiErr *router.ApiError, language string) {
	var fields []translated
	walk(apiErr.Data, language, &fields)
	top := apiErr.Message
	for _, f := range fields {
		if f.english == top { // a rule error repeats its field's message
			apiErr.Message = f.text
			return
		}
	}
	switch {
	case len(fields) == 1 && msg.Generic(top):
		apiErr.Message = fields[0].text
	case len(fields) > 1 && msg.Generic(top):
		apiErr.Message = msg.Text(language, "summary.fields", map[string]string{"n": strconv.Itoa(len(fields))})
	default:
		apiErr.Message, _ = msg.Translate(language, "", top)
	}
}

// translated is one field error's message, as written and translated.
type translated struct{ english, text string }

// instant is the start of an occurrence's message in a series' refusal
// ("2027-01-12T16:00:00Z That time is no longer free."), kept as it is.
var instant = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ `)

// walk translates the field errors of data, nested ones (a series'
// occurrences, a batch's requests) included.
func walk(data map[string]any, language string, out *[]translated) {
	for _, v := range data {
		item, ok := v.(map[string]any)
		if !ok {
			continue
		}
		code, isCode := item["code"].(string)
		text, isText := item["message"].(string)
		if !isCode || !isText {
			walk(item, language, out)
			continue
		}
		prefix := instant.FindString(text)
		tr, _ := msg.Translate(language, code, text[len(prefix):])
		item["message"] = prefix + tr
		*out = append(*out, translated{english: text, text: prefix + tr})
	}
}
