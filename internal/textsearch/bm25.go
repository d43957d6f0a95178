package textsearch

import (
	"cmp"
	"math"
	"slices"
)

// BM25's usual constants: how quickly repeats of a term stop adding (K1)
// and how much a long document is penalised (B).
const (
	K1 = 1.2
	B  = 0.75
)

// Index ranks a fixed set of documents for queries with BM25 (Okapi). It
// is built once and read by any number of goroutines.
type Index struct {
	docs  []map[string]int // term counts per document
	lens  []int
	avg   float64
	df    map[string]int // documents holding each term
	total int
}

// NewIndex indexes docs, each a text; a document's position is its id in
// Search's answer.
func NewIndex(docs []string) *Index {
	ix := &Index{df: map[string]int{}, total: len(docs)}
	sum := 0
	for _, d := range docs {
		counts := map[string]int{}
		keys := Keys(d)
		for _, k := range keys {
			counts[k]++
		}
		for k := range counts {
			ix.df[k]++
		}
		ix.docs = append(ix.docs, counts)
		ix.lens = append(ix.lens, len(keys))
		sum += len(keys)
	}
	if len(docs) > 0 {
		ix.avg = float64(sum) / float64(len(docs))
	}
	return ix
}

// Hit is a document that matched a query: its position in the indexed
// list, its BM25 score, and the query terms it holds (as the query wrote
// them), which explain the match.
type Hit struct {
	Doc     int
	Score   float64
	Matched []string
}

// Search returns the documents holding at least one term of query, best
// first (ties by position), with their scores.
func (ix *Index) Search(query string) []Hit {
	terms := Terms(query)
	var hits []Hit
	for d, counts := range ix.docs {
		h := Hit{Doc: d}
		for _, t := range terms {
			tf := float64(counts[t.Key])
			if tf == 0 {
				continue
			}
			h.Score += ix.idf(t.Key) * tf * (K1 + 1) / (tf + K1*(1-B+B*float64(ix.lens[d])/ix.avg))
			h.Matched = append(h.Matched, t.Word)
		}
		if len(h.Matched) > 0 {
			hits = append(hits, h)
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	return hits
}

// idf is BM25's inverse document frequency, kept positive (the "+1"
// variant) so that a term in every document still counts a little.
func (ix *Index) idf(key string) float64 {
	n := float64(ix.df[key])
	return math.Log(1 + (float64(ix.total)-n+0.5)/(n+0.5))
}
