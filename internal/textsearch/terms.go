package textsearch

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Term is one word of a text as search compares it: Key is the folded
// form two texts share ("esam" for esame and esami), Word the word as
// first written, for explanations.
type Term struct {
	Key, Word string
}

// Terms returns the terms of s in order of first appearance, each once,
// without stop words and without words shorter than two characters.
func Terms(s string) []Term {
	seen := map[string]bool{}
	var out []Term
	for _, w := range Words(s) {
		k := Fold(w)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Term{Key: k, Word: w})
	}
	return out
}

// Keys returns the folded form of every word of s, repeats included, in
// order: what BM25 counts.
func Keys(s string) []string {
	var out []string
	for _, w := range Words(s) {
		if k := Fold(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// Words splits s into lower-case words without accents (letters and
// digits; an apostrophe splits, so "dell'esame" is "dell" and "esame").
func Words(s string) []string {
	s = strings.ToLower(s)
	if t, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s); err == nil {
		s = t
	}
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Fold returns the key of a lower-case word without accents, or "" for a
// stop word or a word of one character.
func Fold(w string) string {
	if len([]rune(w)) < 2 || stopWords[w] {
		return ""
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		w = w[:n-1]
	}
	// Italian nouns and adjectives change their last vowel (esame, esami;
	// lezione, lezioni); so does English now and then (grammar is kept).
	if n := len(w); n > 4 && strings.ContainsRune("aeio", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}

// stopWords are Italian and English words too common to tell texts apart.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an and are as at be been but by can could did do does for from had has have how i if in into is it its me
		my no not of on or our so than that the their them then there these they this to up us was we were what
		when where which who why will with would you your yours am any all also about just more most some such
		il lo la le gli un uno una di da del dello della dei degli delle al allo alla ai agli alle dal dalla dai
		nel nella nei nelle sul sulla sui col con per tra fra e ed o ma se che chi cui non piu come quando dove
		perche quale quali quanto quanti quante sono sei siamo siete ho hai ha abbiamo avete hanno mi ti ci vi si
		io tu lui lei noi voi loro mio mia miei mie tuo tua suo sua nostro vostro questo questa questi queste
		quello quella essere avere fare anche ancora molto poco gia solo sempre dell nell all dall sull un
	`) {
		m[w] = true
	}
	return m
}()
