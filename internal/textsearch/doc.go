// Package textsearch turns short Italian and English texts into search
// terms and ranks documents for a query with BM25. The match engine uses
// the terms to say which of a student's goals a tutor's profile mentions;
// the help assistant ranks the school's FAQ entries with the index.
//
// Terms are deliberately simple so that a person can follow them: lower
// case, accents folded (perché → perche), split on anything that is not a
// letter or a digit, common Italian and English words dropped, and a light
// suffix folding that joins singular and plural (exam, exams; esame,
// esami). There is no dictionary and no model.
//
// The package is pure: strings in, values out.
package textsearch
