package match

import (
	"math"
	"slices"
	"testing"
)

// base is an ordinary candidate for a request that asks about everything:
// Mathematics, a six-hour window, a €40 budget, Italian.
func base(id string) Candidate {
	return Candidate{
		ID: id, Subject: FitExact, SubjectName: "Mathematics", WantedSubject: "Mathematics",
		FreeMinutes: 240, WantedMinutes: 360,
		RatingSum: 4.5 * 20, RatingCount: 20,
		HourlyRate: 3000, Currency: "EUR", MaxPrice: 4000,
		Languages: []string{"it", "en"}, WantedLanguage: "it",
	}
}

func with(id string, edit func(*Candidate)) Candidate {
	c := base(id)
	edit(&c)
	return c
}

func ids(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestRankOrder(t *testing.T) {
	tests := []struct {
		name string
		in   []Candidate
		want []string // IDs, best first
	}{
		{
			name: "one 5-star review does not outrank fifty 4.8s",
			in: []Candidate{
				with("newcomer", func(c *Candidate) { c.RatingSum, c.RatingCount = 5, 1 }),
				with("veteran", func(c *Candidate) { c.RatingSum, c.RatingCount = 50*4.8, 50 }),
			},
			want: []string{"veteran", "newcomer"},
		},
		{
			name: "a cheaper tutor who is otherwise equal ranks higher",
			in: []Candidate{
				with("dear", func(c *Candidate) { c.HourlyRate = 3900 }),
				with("cheap", func(c *Candidate) { c.HourlyRate = 2500 }),
			},
			want: []string{"cheap", "dear"},
		},
		{
			name: "a rate above the budget is left out, one at the budget is kept",
			in: []Candidate{
				with("over", func(c *Candidate) { c.HourlyRate = 4001; c.RatingSum, c.RatingCount = 250, 50 }),
				with("at", func(c *Candidate) { c.HourlyRate = 4000 }),
			},
			want: []string{"at"},
		},
		{
			name: "the exact subject beats a related one, which beats none",
			in: []Candidate{
				with("none", func(c *Candidate) { c.Subject = FitNone }),
				with("related", func(c *Candidate) { c.Subject, c.SubjectName = FitRelated, "Statistics" }),
				with("exact", func(c *Candidate) {}),
			},
			want: []string{"exact", "related", "none"},
		},
		{
			name: "more free time in the window ranks higher",
			in: []Candidate{
				with("busy", func(c *Candidate) { c.FreeMinutes = 60 }),
				with("free", func(c *Candidate) { c.FreeMinutes = 360 }),
				with("booked-out", func(c *Candidate) { c.FreeMinutes = 0 }),
			},
			want: []string{"free", "busy", "booked-out"},
		},
		{
			name: "teaching in the wanted language ranks higher",
			in: []Candidate{
				with("en", func(c *Candidate) { c.Languages = []string{"en"} }),
				with("it", func(c *Candidate) {}),
			},
			want: []string{"it", "en"},
		},
		{
			name: "equal scores fall back to the rating, then the rate, then the id",
			in: []Candidate{
				with("b", func(c *Candidate) {}),
				with("a", func(c *Candidate) {}),
				with("c", func(c *Candidate) {}),
			},
			want: []string{"a", "b", "c"},
		},
		{
			name: "without a budget the reference is the dearest candidate",
			in: []Candidate{
				with("dearest", func(c *Candidate) { c.MaxPrice, c.HourlyRate = 0, 9000 }),
				with("cheaper", func(c *Candidate) { c.MaxPrice, c.HourlyRate = 0, 6000 }),
			},
			want: []string{"cheaper", "dearest"},
		},
		{
			name: "nothing in, nothing out",
			in:   nil,
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(tt.in, DefaultWeights())
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("Rank order = %v, want %v", ids(got), tt.want)
			}
			for i, r := range got {
				if r.Rank != i+1 {
					t.Errorf("%s has rank %d at position %d", r.ID, r.Rank, i)
				}
			}
		})
	}
}

func TestRankScoreAndReasons(t *testing.T) {
	tests := []struct {
		name      string
		in        Candidate
		wantCodes []string
		wantTexts []string
		wantScore float64
	}{
		{
			name:      "every criterion asked",
			in:        base("a"),
			wantCodes: []string{ReasonSubject, ReasonAvailability, ReasonRating, ReasonPrice, ReasonLanguage},
			wantTexts: []string{"Teaches Mathematics", "Free for 4 of the 6 hours you asked", "Rated 4.5 from 20 reviews",
				"€30/h, within your €40", "Teaches in Italian"},
			// 0.3·1 + 0.3·(2/3) + 0.2·((4.333−1)/4) + 0.1·(1 − 3000/8000) + 0.1·1
			wantScore: 0.3 + 0.2 + 0.2*((130.0/30-1)/4) + 0.1*0.625 + 0.1,
		},
		{
			name:      "only rating and price count when nothing is asked",
			in:        Candidate{ID: "a", RatingSum: 5, RatingCount: 1, HourlyRate: 2500, Currency: "EUR"},
			wantCodes: []string{ReasonRating, ReasonPrice},
			wantTexts: []string{"Rated 5.0 from 1 review", "€25/h"},
			// (0.2·((45/11−1)/4) + 0.1·0.5) / 0.3
			wantScore: (0.2*((45.0/11-1)/4) + 0.1*0.5) / 0.3,
		},
		{
			name: "what is missing is said, with no weight",
			in: with("a", func(c *Candidate) {
				c.Subject, c.FreeMinutes, c.RatingSum, c.RatingCount, c.Languages = FitNone, 0, 0, 0, []string{"en"}
			}),
			wantCodes: []string{ReasonSubject, ReasonAvailability, ReasonRating, ReasonPrice, ReasonLanguage},
			wantTexts: []string{"Does not list Mathematics", "No free time in the 6 hours you asked", "No reviews yet",
				"€30/h, within your €40", "Does not list Italian"},
			wantScore: 0.2*0.75 + 0.1*0.625,
		},
		{
			name: "a related subject and a short window in minutes",
			in: with("a", func(c *Candidate) {
				c.Subject, c.SubjectName, c.FreeMinutes, c.WantedMinutes = FitRelated, "Statistics", 90, 90
			}),
			wantCodes: []string{ReasonSubject, ReasonAvailability, ReasonRating, ReasonPrice, ReasonLanguage},
			wantTexts: []string{"Teaches Statistics, related to Mathematics", "Free for all the 90 minutes you asked",
				"Rated 4.5 from 20 reviews", "€30/h, within your €40", "Teaches in Italian"},
			wantScore: 0.15 + 0.3 + 0.2*((130.0/30-1)/4) + 0.1*0.625 + 0.1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := Rank([]Candidate{tt.in}, DefaultWeights())
			if len(rs) != 1 {
				t.Fatalf("Rank returned %d results, want 1", len(rs))
			}
			r := rs[0]
			var codes, texts []string
			sum := 0.0
			for _, reason := range r.Reasons {
				codes, texts = append(codes, reason.Code), append(texts, reason.Text)
				sum += reason.Weight
			}
			if !slices.Equal(codes, tt.wantCodes) {
				t.Errorf("codes = %v, want %v", codes, tt.wantCodes)
			}
			if !slices.Equal(texts, tt.wantTexts) {
				t.Errorf("texts = %q, want %q", texts, tt.wantTexts)
			}
			if math.Abs(r.Score-tt.wantScore) > 1e-9 {
				t.Errorf("score = %.6f, want %.6f", r.Score, tt.wantScore)
			}
			if math.Abs(sum-r.Score) > 1e-9 {
				t.Errorf("reason weights add up to %.6f, score is %.6f", sum, r.Score)
			}
		})
	}
}

func TestRankScoreStaysInUnitRange(t *testing.T) {
	tests := []struct {
		name string
		w    Weights
		c    Candidate
	}{
		{"zero weights", Weights{}, base("a")},
		{"negative weights", Weights{Subject: -1, Availability: -1, Rating: -1, Price: -1, Language: -1}, base("a")},
		{"more free time than asked", DefaultWeights(), with("a", func(c *Candidate) { c.FreeMinutes = 10000 })},
		{"negative free time", DefaultWeights(), with("a", func(c *Candidate) { c.FreeMinutes = -5 })},
		{"ratings above the scale", DefaultWeights(), with("a", func(c *Candidate) { c.RatingSum, c.RatingCount = 700, 100 })},
		{"free lessons", DefaultWeights(), with("a", func(c *Candidate) { c.HourlyRate = 0 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range Rank([]Candidate{tt.c}, tt.w) {
				if r.Score < 0 || r.Score > 1 || math.IsNaN(r.Score) {
					t.Errorf("score = %v, want within [0, 1]", r.Score)
				}
			}
		})
	}
}

func TestReasonTexts(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"hours", availabilityText("en", 240, 360), "Free for 4 of the 6 hours you asked"},
		{"half hours", availabilityText("en", 270, 360), "Free for 4.5 of the 6 hours you asked"},
		{"minutes under two hours", availabilityText("en", 30, 60), "Free for 30 of the 60 minutes you asked"},
		{"none free", availabilityText("en", 0, 120), "No free time in the 2 hours you asked"},
		{"two weeks", availabilityText("en", 3120, 20160), "Free for 52 of the 336 hours you asked"},
		{"one review", ratingText("en", 4, 1), "Rated 4.0 from 1 review"},
		{"many reviews", ratingText("en", 240, 50), "Rated 4.8 from 50 reviews"},
		{"euro cents kept", priceText(Candidate{HourlyRate: 3250, Currency: "EUR"}), "€32.50/h"},
		{"yen", priceText(Candidate{HourlyRate: 5000, Currency: "JPY", MaxPrice: 6000}), "¥5,000/h, within your ¥6,000"},
		{"free", priceText(Candidate{Currency: "EUR"}), "Free of charge"},
		{"unknown language code", LanguageName("xx"), "xx"},
		{"known language", LanguageName("sw"), "Swahili"},
		{"it: hours", availabilityText("it", 270, 360), "Libero per 4,5 delle 6 ore richieste"},
		{"it: all the minutes", availabilityText("it", 90, 60), "Libero per tutti i 60 minuti richiesti"},
		{"it: none free", availabilityText("it", 0, 120), "Nessun momento libero nelle 2 ore richieste"},
		{"it: minutes", availabilityText("it", 15, 30), "Libero per 15 dei 30 minuti richiesti"},
		{"it: no reviews", ratingText("it", 0, 0), "Ancora nessuna recensione"},
		{"it: one review", ratingText("it", 4, 1), "Valutazione 4,0 da 1 recensione"},
		{"it: many reviews", ratingText("it", 240, 50), "Valutazione 4,8 da 50 recensioni"},
		{"it: euro cents kept", priceText(Candidate{HourlyRate: 3250, Currency: "EUR", Lang: "it"}), "€ 32,50/h"},
		{"it: within budget", priceText(Candidate{HourlyRate: 3000, Currency: "EUR", MaxPrice: 4000, Lang: "it"}), "€ 30/h, entro i tuoi € 40"},
		{"it: free", priceText(Candidate{Currency: "EUR", Lang: "it"}), "Gratuito"},
		{"it: exact subject", subjectText(Candidate{Subject: FitExact, WantedSubject: "Fisica", Lang: "it"}), "Insegna Fisica"},
		{"it: related subject", subjectText(Candidate{Subject: FitRelated, SubjectName: "Analisi", WantedSubject: "Matematica", Lang: "it"}), "Insegna Analisi, affine a Matematica"},
		{"it: no subject", subjectText(Candidate{WantedSubject: "Fisica", Lang: "it"}), "Non indica Fisica"},
		{"it: teaches in", languageText("it", true, "de"), "Insegna in tedesco"},
		{"it: does not", languageText("it", false, "es"), "Non indica di insegnare in spagnolo"},
		{"it: unknown language code", LanguageNameIn("it", "xx"), "xx"},
		{"it: level none", levelText("it", 0, "B2"), "Ancora nessuno studente del tuo livello (B2)"},
		{"it: level one", levelText("it", 1, "B2"), "Ha seguito 1 studente del tuo livello (B2)"},
		{"it: level many", levelText("it", 4, "B2"), "Ha seguito 4 studenti del tuo livello (B2)"},
		{"it: no goals", goalsText("it", nil), "Il profilo non cita nessuno dei tuoi obiettivi"},
		{"it: goals", goalsText("it", []string{"esame", "maturità"}), "Il profilo cita esame, maturità"},
		{"en: level many", levelText("en", 4, "B2"), "Taught 4 students at your level (B2)"},
		{"en: goals", goalsText("en", []string{"exam"}), "Profile mentions exam"},
		{"en: does not", languageText("en", false, "es"), "Does not list Spanish"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
