// Package lang is the one list of languages Tutorbase speaks, and how a
// person's language is picked from a locale tag or an Accept-Language
// header. The web app (pb_public/js/lang), the notification templates, the
// invoice labels and the server's messages each have every language here;
// tests hold them to it.
package lang

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The languages, by their primary subtag.
const (
	English = "en"
	Italian = "it"
)

// Supported lists every language, the default first.
var Supported = []string{English, Italian}

// Base is the lower-case primary subtag of a tag: "it-IT" and "it_IT" are
// "it".
func Base(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}

// Known returns the supported language of a locale tag, if it has one.
func Known(tag string) (string, bool) {
	l := Base(tag)
	return l, slices.Contains(Supported, l)
}

// Of returns the supported language of a locale tag, the default (English)
// when it has none.
func Of(tag string) string {
	if l, ok := Known(tag); ok {
		return l
	}
	return Supported[0]
}

// FromHeader picks from an Accept-Language header ("it-IT,it;q=0.9,en;
// q=0.8") the supported language of highest weight.
func FromHeader(header string) (string, bool) {
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
		if l, ok := Known(tag); ok && q > 0 {
			choices = append(choices, choice{l, q})
		}
	}
	if len(choices) == 0 {
		return "", false
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	return choices[0].lang, true
}
