package hooks

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// costTexts are the messages of the cost bounds in the web app's languages
// (pb_public/js/lang): a person who hits one reads why in their language.
var costTexts = map[string]map[string]string{
	"en": {
		CodeFilterTooComplex:  "This search asks for too much at once. Search on fewer linked fields.",
		CodeQueryTooExpensive: "This search took too long and was stopped. Narrow it down and try again.",
		CodeTooManyInFlight:   "You have too many searches running at once. Try again in a moment.",
	},
	"it": {
		CodeFilterTooComplex:  "Questa ricerca chiede troppo in una volta. Cerca su meno campi collegati.",
		CodeQueryTooExpensive: "Questa ricerca ha richiesto troppo tempo ed è stata interrotta. Restringila e riprova.",
		CodeTooManyInFlight:   "Hai troppe ricerche in corso nello stesso momento. Riprova tra poco.",
	},
}

// costText is the message of code in lang, English when lang has none.
func costText(lang, code string) string {
	if s, ok := costTexts[lang][code]; ok {
		return s
	}
	return costTexts["en"][code]
}

// requestLang is the language to answer e in: the signed-in user's locale,
// else the first language of Accept-Language the web app speaks, else
// English.
func requestLang(e *core.RequestEvent) string {
	if e.Auth != nil && e.Auth.Collection().Name == "users" {
		if l := baseLang(e.Auth.GetString("locale")); costTexts[l] != nil {
			return l
		}
	}
	return acceptedLang(e.Request.Header.Get("Accept-Language"))
}

// acceptedLang picks from an Accept-Language header ("it-IT,it;q=0.9,en;
// q=0.8") the known language of highest weight.
func acceptedLang(header string) string {
	type choice struct {
		lang string
		q    float64
	}
	var choices []choice
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if l := baseLang(tag); costTexts[l] != nil && q > 0 {
			choices = append(choices, choice{l, q})
		}
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	if len(choices) == 0 {
		return "en"
	}
	return choices[0].lang
}

// baseLang is the primary language of a tag: "it-IT" -> "it".
func baseLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}
