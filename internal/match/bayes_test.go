package match

import (
	"math"
	"testing"
)

func TestBayesianAverage(t *testing.T) {
	tests := []struct {
		name               string
		sum                float64
		count              int
		priorMean, priorWt float64
		want               float64
	}{
		{"no reviews is the prior", 0, 0, 4, 10, 4},
		{"one 5-star review barely moves it", 5, 1, 4, 10, 45.0 / 11},
		{"fifty 4.8s are mostly their own", 240, 50, 4, 10, 280.0 / 60},
		{"ten reviews weigh as much as the prior", 50, 10, 4, 10, 4.5},
		{"no prior is the plain mean", 9, 2, 4, 0, 4.5},
		{"no weight at all is the prior mean", 0, 0, 3, 0, 3},
		{"a negative total weight is the prior mean", 0, 0, 3, -1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BayesianAverage(tt.sum, tt.count, tt.priorMean, tt.priorWt)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("BayesianAverage(%v, %d, %v, %v) = %v, want %v", tt.sum, tt.count, tt.priorMean, tt.priorWt, got, tt.want)
			}
		})
	}
}

func TestDefaultPriorKeepsOneFiveStarBelowFiftyFourEights(t *testing.T) {
	one := BayesianAverage(5, 1, DefaultPriorMean, DefaultPriorWeight)
	fifty := BayesianAverage(50*4.8, 50, DefaultPriorMean, DefaultPriorWeight)
	if one >= fifty {
		t.Errorf("one 5-star review = %.3f, fifty 4.8s = %.3f; want the fifty ahead", one, fifty)
	}
}
