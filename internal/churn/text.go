package churn

import (
	"fmt"
	"strconv"
	"strings"
)

// Text is r as a sentence for staff, in lang (Italian, else English),
// with the numbers behind it.
func Text(lang string, r Reason) string {
	it := lang == "it" || strings.HasPrefix(lang, "it-")
	v := func(k string) string { return num(r.Values[k], it) }
	switch {
	case r.Code == ReasonGap && it:
		return fmt.Sprintf("Nessuna lezione da %s giorni; di solito ogni %s", v("days"), v("usual_days"))
	case r.Code == ReasonGap:
		return fmt.Sprintf("No lesson for %s days; usually every %s", v("days"), v("usual_days"))
	case r.Code == ReasonCancellations && it:
		return fmt.Sprintf("Ha disdetto o saltato %s delle %s lezioni degli ultimi %s giorni", v("dropped"), v("lessons"), v("days"))
	case r.Code == ReasonCancellations:
		return fmt.Sprintf("Cancelled or missed %s of %s lessons in the last %s days", v("dropped"), v("lessons"), v("days"))
	case r.Code == ReasonCredits && it:
		return fmt.Sprintf("Crediti finiti (%s acquistati) e nessuna lezione prenotata", v("bought"))
	case r.Code == ReasonCredits:
		return fmt.Sprintf("No credits left (%s bought) and nothing booked", v("bought"))
	case r.Code == ReasonRatings && it:
		return fmt.Sprintf("Ultima valutazione %s, prima in media %s", v("last"), v("before"))
	case r.Code == ReasonRatings:
		return fmt.Sprintf("Last rating %s, %s on average before", v("last"), v("before"))
	case r.Code == ReasonUnread && it && r.Values["messages"] == 1:
		return fmt.Sprintf("1 messaggio non letto da %s giorni", v("days"))
	case r.Code == ReasonUnread && r.Values["messages"] == 1:
		return fmt.Sprintf("1 unread message, %s days old", v("days"))
	case r.Code == ReasonUnread && it:
		return fmt.Sprintf("%s messaggi non letti, il primo da %s giorni", v("messages"), v("days"))
	case r.Code == ReasonUnread:
		return fmt.Sprintf("%s unread messages, the oldest %s days old", v("messages"), v("days"))
	}
	return r.Code
}

// num prints v with at most one decimal, the Italian way in Italian.
func num(v float64, it bool) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+2 {
		s = strconv.FormatFloat(v, 'f', 1, 64)
	}
	if it {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
