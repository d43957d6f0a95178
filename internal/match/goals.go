package match

import "tutorbase/internal/textsearch"

// MaxGoalTerms is how many words of a student's goals count: the first
// ones, so a long essay does not make every profile a poor fit.
const MaxGoalTerms = 12

// GoalsIn returns the words of goals (stop words left out, at most
// MaxGoalTerms, as written) that profile mentions, and how many words
// counted: the goals criterion of a Candidate. Words match when they share
// their folded form (exam and exams, esame and esami).
func GoalsIn(goals, profile string) (matched []string, total int) {
	terms := textsearch.Terms(goals)
	if len(terms) > MaxGoalTerms {
		terms = terms[:MaxGoalTerms]
	}
	have := map[string]bool{}
	for _, k := range textsearch.Keys(profile) {
		have[k] = true
	}
	for _, t := range terms {
		if have[t.Key] {
			matched = append(matched, t.Word)
		}
	}
	return matched, len(terms)
}

// SameLevel reports whether a student's level, as they wrote it in their
// profile, is the level asked: it holds every word of asked ("B2" is in
// "English B2, upper intermediate"; "liceo" in "Liceo scientifico"). An
// asked level without words matches nobody.
func SameLevel(asked, theirs string) bool {
	want := textsearch.Terms(asked)
	if len(want) == 0 {
		return false
	}
	have := map[string]bool{}
	for _, k := range textsearch.Keys(theirs) {
		have[k] = true
	}
	for _, t := range want {
		if !have[t.Key] {
			return false
		}
	}
	return true
}
