package querycost

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ganigeorgiev/fexpr"
)

// Defaults of Limits: two relation hops, and PocketBase's own filter length
// limit (search.MaxFilterLength), so no filter PocketBase accepts is refused
// for its length alone.
const (
	DefaultMaxHops   = 2
	DefaultMaxFilter = 3500
	DefaultMaxSort   = 256
	DefaultMaxExpand = 256
)

// Limits bound what one query may ask.
type Limits struct {
	MaxHops   int // relation hops of one field path
	MaxFilter int // bytes of the filter
	MaxSort   int // bytes of the sort
	MaxExpand int // bytes of the expand

	// BackRelations are the back-relations a client may walk, by the name
	// PocketBase gives them: "<collection>_via_<relation field>".
	BackRelations map[string]bool
	// Collections are the collections a client may join with
	// "@collection.<name>".
	Collections map[string]bool
}

// DefaultLimits are the default bounds with no back-relation and no
// @collection join allowed.
func DefaultLimits() Limits {
	return Limits{MaxHops: DefaultMaxHops, MaxFilter: DefaultMaxFilter, MaxSort: DefaultMaxSort, MaxExpand: DefaultMaxExpand}
}

// Query is what a request asks of a collection, as PocketBase reads it from
// the query string (or a realtime subscription's options).
type Query struct {
	Filter, Sort, Expand string
}

// Reasons a query is refused.
const (
	ReasonLength       = "length"
	ReasonHops         = "hops"
	ReasonBackRelation = "back_relation"
	ReasonCollection   = "collection"
)

// Refusal is a query Check refused: the parameter at fault ("filter",
// "sort" or "expand"), why, and the field path (empty for a length).
type Refusal struct {
	Param, Reason, Path string
}

func (r *Refusal) Error() string {
	if r.Path == "" {
		return fmt.Sprintf("%s refused: %s", r.Param, r.Reason)
	}
	return fmt.Sprintf("%s refused: %s in %q", r.Param, r.Reason, r.Path)
}

// viaName is PocketBase's back-relation prop (core/record_field_resolver_runner.go).
var viaName = regexp.MustCompile(`^(\w+)_via_(\w+)$`)

// Check returns a *Refusal when q asks more than l allows, else nil.
func Check(q Query, l Limits) error {
	lengths := []struct {
		param, value string
		max          int
	}{{"filter", q.Filter, l.MaxFilter}, {"sort", q.Sort, l.MaxSort}, {"expand", q.Expand, l.MaxExpand}}
	for _, p := range lengths {
		if len(p.value) > p.max {
			return &Refusal{Param: p.param, Reason: ReasonLength}
		}
	}
	if strings.TrimSpace(q.Filter) != "" {
		if groups, err := fexpr.Parse(q.Filter); err == nil {
			if err := checkGroups(groups, l); err != nil {
				return err
			}
		}
	}
	for _, f := range strings.Split(q.Sort, ",") {
		// PocketBase's sort: comma-separated names, each with an optional
		// "-" or "+" (search.ParseSortFromString)
		name := strings.TrimLeft(strings.TrimSpace(f), "-+")
		if err := checkPath("sort", name, 0, l); err != nil {
			return err
		}
	}
	for _, p := range strings.Split(q.Expand, ",") {
		if err := checkPath("expand", strings.TrimSpace(p), 1, l); err != nil {
			return err
		}
	}
	return nil
}

// checkGroups walks a parsed filter: both sides of every expression, in
// every group.
func checkGroups(groups []fexpr.ExprGroup, l Limits) error {
	for _, g := range groups {
		switch item := g.Item.(type) {
		case fexpr.Expr:
			for _, t := range []fexpr.Token{item.Left, item.Right} {
				if err := checkToken(t, l); err != nil {
					return err
				}
			}
		case fexpr.ExprGroup:
			if err := checkGroups([]fexpr.ExprGroup{item}, l); err != nil {
				return err
			}
		case []fexpr.ExprGroup:
			if err := checkGroups(item, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkToken checks an identifier, or every argument of a function call.
func checkToken(t fexpr.Token, l Limits) error {
	switch t.Type {
	case fexpr.TokenIdentifier:
		return checkPath("filter", t.Literal, 0, l)
	case fexpr.TokenFunction:
		args, _ := t.Meta.([]fexpr.Token)
		for _, a := range args {
			if err := checkToken(a, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkPath checks one field path. A filter or sort path walks one
// relation per dot ("tutor.user.name": two); an expand path one per
// segment (extra = 1). "@request." is a prefix, not a hop ("@request.auth.
// role" joins the caller's record: one hop); "@collection.<name>" is a join.
func checkPath(param, path string, extra int, l Limits) error {
	if path == "" {
		return nil
	}
	rest := strings.TrimPrefix(path, "@request.")
	props := strings.Split(rest, ".")
	if props[0] == "@collection" {
		name := ""
		if len(props) > 1 {
			name, _, _ = strings.Cut(props[1], ":") // @collection.name:alias
		}
		if !l.Collections[name] {
			return &Refusal{Param: param, Reason: ReasonCollection, Path: path}
		}
		props = props[1:]
	}
	for _, p := range props {
		name, _, _ := strings.Cut(p, ":") // a modifier (:each, :length, ...)
		if viaName.MatchString(name) && !l.BackRelations[name] {
			return &Refusal{Param: param, Reason: ReasonBackRelation, Path: path}
		}
	}
	if hops := len(props) - 1 + extra; hops > l.MaxHops {
		return &Refusal{Param: param, Reason: ReasonHops, Path: path}
	}
	return nil
}
