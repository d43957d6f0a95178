package migrations

// QueryPath is what one collection lets clients' filters, sorts and
// expands walk beyond the default bounds (at most two relation hops, no
// back-relation, no @collection join); internal/app/limits refuses the
// rest with 400 filter_too_complex before any SQL runs. Superusers are not
// bound.
type QueryPath struct {
	// ViaFields are relation fields of this collection that clients may
	// walk backwards, from the record they point to: {"tutor"} on reviews
	// allows "reviews_via_tutor" (from a tutors record to its reviews).
	// Each one multiplies a list by the rows it brings back, so allow only
	// a field a page needs, on an indexed relation.
	ViaFields []string
	// Joinable lets clients join this collection with
	// "@collection.<name>".
	Joinable bool
}

// QueryPaths are the collections' declarations, next to their rules. The
// web app walks no back-relation and joins no collection (its queries are
// listed in internal/querycost's tests and run by the browser tests), so
// none is declared: add a row when a page needs one.
var QueryPaths = map[string]QueryPath{}

// BackRelations returns the back-relation names ("<collection>_via_<field>")
// that paths allow.
func BackRelations(paths map[string]QueryPath) map[string]bool {
	out := map[string]bool{}
	for collection, p := range paths {
		for _, f := range p.ViaFields {
			out[collection+"_via_"+f] = true
		}
	}
	return out
}

// JoinableCollections returns the collections paths let clients join with
// @collection.
func JoinableCollections(paths map[string]QueryPath) map[string]bool {
	out := map[string]bool{}
	for collection, p := range paths {
		if p.Joinable {
			out[collection] = true
		}
	}
	return out
}
