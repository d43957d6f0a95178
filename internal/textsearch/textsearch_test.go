package textsearch

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Term
	}{
		{"Prepare for the exams", []Term{{"prepar", "prepare"}, {"exam", "exams"}}},
		{"Esame di maturità, esami orali", []Term{{"esam", "esame"}, {"maturit", "maturita"}, {"oral", "orali"}}},
		{"Quanti crediti ho? How many credits?", []Term{{"credit", "crediti"}, {"many", "many"}}},
		{"dell'esame", []Term{{"esam", "esame"}}},
		{"studies STUDY", []Term{{"study", "studies"}}},
		{"a e i o u", nil},
		{"", nil},
	} {
		require.Equal(t, tc.want, Terms(tc.in), tc.in)
	}
}

func TestSearch(t *testing.T) {
	ix := NewIndex([]string{
		"How do I cancel a lesson? Open the lesson and press Cancel.",
		"Come compro un pacchetto? Scegli il pacchetto dal tutor e paga.",
		"Refunds: a lesson cancelled in time gives the credit back.",
		"",
	})
	hits := ix.Search("cancel my lesson")
	require.Len(t, hits, 2)
	require.Equal(t, 0, hits[0].Doc, "the entry with both terms, twice, ranks first")
	require.Equal(t, []string{"cancel", "lesson"}, hits[0].Matched)
	require.Equal(t, 2, hits[1].Doc)
	require.Equal(t, []string{"lesson"}, hits[1].Matched, "cancelled folds to cancelled, not cancel")
	require.Greater(t, hits[0].Score, hits[1].Score)

	hits = ix.Search("pacchetti")
	require.Len(t, hits, 1)
	require.Equal(t, 1, hits[0].Doc)
	require.Empty(t, ix.Search("the and of"), "stop words match nothing")
	require.Empty(t, NewIndex(nil).Search("lesson"))
}
