package match

// The default prior of the Bayesian rating: as if every tutor already had
// DefaultPriorWeight reviews averaging DefaultPriorMean. A new tutor starts
// a little below a typical well-reviewed one and moves towards their real
// average as reviews arrive; after ten reviews the prior weighs half. This
// is what keeps one 5-star review (4.09) below fifty 4.8s (4.67).
const (
	DefaultPriorMean   = 4.0
	DefaultPriorWeight = 10.0
)

// BayesianAverage returns (sum + priorMean*priorWeight) / (count +
// priorWeight): the mean of count ratings adding up to sum, pulled towards
// priorMean as if priorWeight more ratings of priorMean had been given. With
// no ratings it is priorMean; a non-positive total weight also gives
// priorMean, so the result is always defined.
func BayesianAverage(sum float64, count int, priorMean, priorWeight float64) float64 {
	w := float64(count) + priorWeight
	if w <= 0 {
		return priorMean
	}
	return (sum + priorMean*priorWeight) / w
}
