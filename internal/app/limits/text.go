package limits

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
