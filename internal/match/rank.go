package match

import (
	"cmp"
	"slices"
)

// SubjectFit says how well a tutor's subjects fit the subject asked for.
type SubjectFit int

// Subject fits, from worst to best.
const (
	FitNone    SubjectFit = iota // neither the subject nor a related one
	FitRelated                   // a subject of the same family (see the hooks)
	FitExact                     // the subject itself
)

// Candidate is one tutor measured against one request. The request's
// fields (Wanted*, MaxPrice) are repeated on every candidate so that each
// is a self-contained value; a zero Wanted* field means the student did not
// ask, and that criterion is left out of the score.
type Candidate struct {
	ID string

	Subject       SubjectFit
	SubjectName   string // the fitting subject the tutor teaches (the one asked for, or the related one)
	WantedSubject string // the subject asked for; "" = any

	FreeMinutes   int // free lesson time inside the wanted window
	WantedMinutes int // length of the wanted window; 0 = any time

	RatingSum   float64 // sum of the visible ratings (rating_avg × rating_count)
	RatingCount int

	HourlyRate int64  // minor units per hour; 0 is free
	Currency   string // ISO 4217, for the reasons' text
	MaxPrice   int64  // the student's hourly budget in minor units; 0 = none

	Languages      []string // ISO 639-1 codes the tutor teaches in
	WantedLanguage string   // ISO 639-1; "" = any

	LevelStudents int    // students at the wanted level the tutor has taught
	WantedLevel   string // the student's level as they wrote it; "" = any

	GoalsMatched []string // the goal words the tutor's profile mentions
	GoalTerms    int      // how many words the goals have (see GoalsIn); 0 = no goals

	Lang string // the language of the reasons' texts: "it" Italian, else English
}

// Weights are the share of each criterion in the score, and the Bayesian
// prior of the rating. Only the criteria a request asks about count
// (rating and price always do); the score divides by their total weight,
// so it stays in [0, 1] whatever is asked. A negative weight counts as 0.
type Weights struct {
	Subject, Availability, Rating, Price, Language, Level, Goals float64
	PriorMean, PriorWeight                                       float64
}

// DefaultWeights are the weights of GET /api/match: what is taught and when
// the tutor is free matter most, then reviews, then price and language.
func DefaultWeights() Weights {
	return Weights{
		Subject: 0.30, Availability: 0.30, Rating: 0.20, Price: 0.10, Language: 0.10, Level: 0.15, Goals: 0.15,
		PriorMean: DefaultPriorMean, PriorWeight: DefaultPriorWeight,
	}
}

// Reason codes, one per criterion.
const (
	ReasonSubject      = "subject"
	ReasonAvailability = "availability"
	ReasonRating       = "rating"
	ReasonPrice        = "price"
	ReasonLanguage     = "language"
	ReasonLevel        = "level"
	ReasonGoals        = "goals"
)

// LevelFull is how many students at a level make a tutor's level value 1:
// one student is a start, three are a habit.
const LevelFull = 3

// Reason explains one criterion of a rank. Weight is the part of the score
// it contributed (the reasons' weights add up to the score), so a client
// can sort or bar-chart them; a reason with weight 0 explains what is
// missing ("Does not list Italian").
type Reason struct {
	Code   string  `json:"code"`
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
}

// Result is a ranked candidate.
type Result struct {
	Candidate
	Score   float64  // in [0, 1]
	Rank    int      // 1 is the best
	Rating  float64  // the Bayesian average used, on the 1..5 scale
	Reasons []Reason // in criterion order: subject, availability, rating, price, language, level, goals
}

// Rank scores the candidates and sorts them best first. A candidate whose
// hourly rate is above their MaxPrice is left out: a budget is a limit, as
// in search, not a preference. Each criterion gives a value in [0, 1]:
//
//   - subject: 1 exact, 0.5 related, 0 none;
//   - availability: FreeMinutes / WantedMinutes, at most 1;
//   - rating: (BayesianAverage − 1) / 4;
//   - price: 1 − rate / (2 × reference), the reference being MaxPrice, or
//     without a budget the highest rate among the candidates, so cheaper is
//     better and the dearest tutor within budget still gets 0.5;
//   - language: 1 when the tutor teaches in it, else 0;
//   - level: students taught at the level / LevelFull, at most 1;
//   - goals: the goal words the profile mentions / the goal words.
//
// The score is the weighted mean of the values of the criteria asked
// about. Ties are broken by the Bayesian rating (higher first), then the
// rate (cheaper first), then ID, so the order is deterministic.
func Rank(cs []Candidate, w Weights) []Result {
	ref := priceReference(cs)
	out := make([]Result, 0, len(cs))
	for _, c := range cs {
		if c.MaxPrice > 0 && c.HourlyRate > c.MaxPrice {
			continue
		}
		out = append(out, score(c, w, ref))
	}
	slices.SortFunc(out, func(a, b Result) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Rating, a.Rating); c != 0 {
			return c
		}
		if c := cmp.Compare(a.HourlyRate, b.HourlyRate); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// priceReference is the highest hourly rate among the candidates, the
// yardstick of price when there is no budget.
func priceReference(cs []Candidate) int64 {
	var ref int64
	for _, c := range cs {
		ref = max(ref, c.HourlyRate)
	}
	return ref
}

// criterion is one scored part of a rank before normalisation.
type criterion struct {
	code          string
	weight, value float64
	text          string
}

func score(c Candidate, w Weights, ref int64) Result {
	r := Result{Candidate: c, Rating: BayesianAverage(c.RatingSum, c.RatingCount, w.PriorMean, w.PriorWeight)}
	var parts []criterion
	if c.WantedSubject != "" {
		parts = append(parts, criterion{ReasonSubject, w.Subject, subjectValue(c.Subject), subjectText(c)})
	}
	if c.WantedMinutes > 0 {
		v := min(1, float64(max(c.FreeMinutes, 0))/float64(c.WantedMinutes))
		parts = append(parts, criterion{ReasonAvailability, w.Availability, v, availabilityText(c.Lang, c.FreeMinutes, c.WantedMinutes)})
	}
	parts = append(parts,
		criterion{ReasonRating, w.Rating, clamp01((r.Rating - 1) / 4), ratingText(c.Lang, c.RatingSum, c.RatingCount)},
		criterion{ReasonPrice, w.Price, priceValue(c, ref), priceText(c)})
	if c.WantedLanguage != "" {
		v := 0.0
		if slices.Contains(c.Languages, c.WantedLanguage) {
			v = 1
		}
		parts = append(parts, criterion{ReasonLanguage, w.Language, v, languageText(c.Lang, v > 0, c.WantedLanguage)})
	}
	if c.WantedLevel != "" {
		v := min(1, float64(max(c.LevelStudents, 0))/LevelFull)
		parts = append(parts, criterion{ReasonLevel, w.Level, v, levelText(c.Lang, c.LevelStudents, c.WantedLevel)})
	}
	if c.GoalTerms > 0 {
		v := clamp01(float64(len(c.GoalsMatched)) / float64(c.GoalTerms))
		parts = append(parts, criterion{ReasonGoals, w.Goals, v, goalsText(c.Lang, c.GoalsMatched)})
	}
	total := 0.0
	for _, p := range parts {
		total += max(p.weight, 0)
	}
	r.Reasons = make([]Reason, len(parts))
	for i, p := range parts {
		contrib := 0.0
		if total > 0 {
			contrib = max(p.weight, 0) * p.value / total
		}
		r.Score += contrib
		r.Reasons[i] = Reason{Code: p.code, Text: p.text, Weight: contrib}
	}
	r.Score = clamp01(r.Score)
	return r
}

func subjectValue(f SubjectFit) float64 {
	switch f {
	case FitExact:
		return 1
	case FitRelated:
		return 0.5
	}
	return 0
}

// priceValue is 1 − rate/(2·reference): 1 when free, 0.5 at the reference.
func priceValue(c Candidate, ref int64) float64 {
	if c.MaxPrice > 0 {
		ref = c.MaxPrice
	}
	if ref <= 0 || c.HourlyRate <= 0 {
		return 1
	}
	return clamp01(1 - float64(c.HourlyRate)/(2*float64(ref)))
}

func clamp01(v float64) float64 {
	return min(1, max(0, v))
}
