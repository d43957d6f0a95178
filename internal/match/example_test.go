package match_test

import (
	"fmt"

	"tutorbase/internal/match"
)

func ExampleBayesianAverage() {
	one := match.BayesianAverage(5, 1, match.DefaultPriorMean, match.DefaultPriorWeight)
	fifty := match.BayesianAverage(50*4.8, 50, match.DefaultPriorMean, match.DefaultPriorWeight)
	fmt.Printf("one 5-star review: %.2f, fifty 4.8s: %.2f\n", one, fifty)
	// Output: one 5-star review: 4.09, fifty 4.8s: 4.67
}

func ExampleRank() {
	want := func(c match.Candidate) match.Candidate {
		c.WantedSubject, c.SubjectName, c.Subject = "Mathematics", "Mathematics", match.FitExact
		c.WantedMinutes, c.MaxPrice, c.Currency, c.WantedLanguage = 360, 4000, "EUR", "it"
		return c
	}
	ranked := match.Rank([]match.Candidate{
		want(match.Candidate{ID: "newcomer", FreeMinutes: 240, RatingSum: 5, RatingCount: 1, HourlyRate: 3000, Languages: []string{"it"}}),
		want(match.Candidate{ID: "veteran", FreeMinutes: 240, RatingSum: 240, RatingCount: 50, HourlyRate: 3000, Languages: []string{"it"}}),
		want(match.Candidate{ID: "too dear", FreeMinutes: 360, RatingSum: 250, RatingCount: 50, HourlyRate: 4500, Languages: []string{"it"}}),
	}, match.DefaultWeights())
	for _, r := range ranked {
		fmt.Printf("%d. %s %.3f\n", r.Rank, r.ID, r.Score)
		for _, reason := range r.Reasons {
			fmt.Printf("   %-12s %.3f %s\n", reason.Code, reason.Weight, reason.Text)
		}
	}
	// Output:
	// 1. veteran 0.846
	//    subject      0.300 Teaches Mathematics
	//    availability 0.200 Free for 4 of the 6 hours you asked
	//    rating       0.183 Rated 4.8 from 50 reviews
	//    price        0.062 €30/h, within your €40
	//    language     0.100 Teaches in Italian
	// 2. newcomer 0.817
	//    subject      0.300 Teaches Mathematics
	//    availability 0.200 Free for 4 of the 6 hours you asked
	//    rating       0.155 Rated 5.0 from 1 review
	//    price        0.062 €30/h, within your €40
	//    language     0.100 Teaches in Italian
}
