// Package limits bounds what one request can cost: filters, sorts and
// expands that walk too far are refused before any SQL runs, a query past
// its time budget is answered in the caller's language, and a person has
// at most a few expensive requests in flight (docs/security.md, "Request
// cost").
package limits

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	"tutorbase/internal/msg"
	"tutorbase/internal/querycost"
	"tutorbase/migrations"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// What one request may cost (docs/security.md, "Request cost"):
//
//   - a filter, sort or expand that walks too far (internal/querycost) is
//     refused with 400 filter_too_complex before any SQL runs, on the
//     records API (lists, views, auth answers), the staff lists, realtime
//     subscription options and the requests of a batch;
//   - a query that runs past PocketBase's query timeout (config.Config's
//     QueryTimeout, 5 s by default) is answered 400 query_too_expensive
//     instead of PocketBase's "Something went wrong";
//   - a person has at most a few expensive requests in flight (inflight.go).
//
// Superusers are bound by none but the timeout.

// Error codes of the cost bounds, as field error codes.
const (
	CodeFilterTooComplex  = "filter_too_complex"
	CodeQueryTooExpensive = "query_too_expensive"
	CodeTooManyInFlight   = "too_many_in_flight"
)

// Service is an app's cost bounds and what they refused, for /metrics.
type Service struct {
	limits   querycost.Limits
	inflight *inflight

	filterRefused, tooExpensive, inflightRefused atomic.Int64
}

// Counts returns what the cost bounds refused since start.
func (c *Service) Counts() (filterRefused, tooExpensive, inflightRefused int64) {
	return c.filterRefused.Load(), c.tooExpensive.Load(), c.inflightRefused.Load()
}

// New returns the cost bounds cfg sets, with the back-relations and joins
// the collections declare (migrations.QueryPaths).
func New(cfg config.Config) *Service {
	limits := querycost.DefaultLimits()
	limits.BackRelations = migrations.BackRelations(migrations.QueryPaths)
	limits.Collections = migrations.JoinableCollections(migrations.QueryPaths)
	perUser, perGuest := cfg.InFlight.Limits()
	return &Service{limits: limits, inflight: newInflight(perUser, perGuest)}
}

// Middleware bounds every request: its query, its place in flight, its
// time. It runs after the auth token, the rate limiter and the body limit,
// before the staff lists and every route.
func (c *Service) Middleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseRequestCost",
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 1,
		Func:     c.serve,
	}
}

// Register binds the bounds of realtime subscriptions and batch requests
// (the middleware is bound with the routes).
func (c *Service) Register(app core.App) {
	app.OnRealtimeSubscribeRequest().BindFunc(c.checkSubscriptions)
	app.OnBatchRequest().BindFunc(c.checkBatch)
}

// serve bounds one request: its query, its place in flight, its time.
func (c *Service) serve(e *core.RequestEvent) error {
	if !e.HasSuperuserAuth() {
		if strings.HasPrefix(e.Request.URL.Path, "/api/collections/") {
			if err := c.check(e, e.Request.URL.Query(), ""); err != nil {
				return err
			}
		}
		if expensiveRoute(e.Request.Method, e.Request.URL.Path) {
			release, err := c.enter(e)
			if err != nil {
				return err
			}
			defer release()
		}
	}
	return c.budget(e, e.Next())
}

// check refuses q's filter, sort and expand when they ask too much; prefix
// places the field error (a batch request's index).
func (c *Service) check(e *core.RequestEvent, q url.Values, prefix string) error {
	err := querycost.Check(querycost.Query{Filter: q.Get("filter"), Sort: q.Get("sort"), Expand: q.Get("expand")}, c.limits)
	var r *querycost.Refusal
	if !errors.As(err, &r) {
		return nil
	}
	c.filterRefused.Add(1) // PocketBase's request log keeps the refusal, with its field error
	text := msg.Text(platform.RequestLang(e), CodeFilterTooComplex, nil)
	data := validation.Errors{r.Param: validation.NewError(CodeFilterTooComplex, text)}
	if prefix != "" {
		data = validation.Errors{"requests": validation.Errors{prefix: data}}
	}
	return apis.NewBadRequestError(text, data)
}

// checkSubscriptions refuses realtime subscriptions whose options ask too
// much: PocketBase runs their filter against every broadcast record.
func (c *Service) checkSubscriptions(e *core.RealtimeSubscribeRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	for _, s := range e.Subscriptions {
		if err := c.check(e.RequestEvent, subscriptionQuery(s), ""); err != nil {
			return err
		}
	}
	return e.Next()
}

// subscriptionQuery reads a subscription's options the way PocketBase's
// realtime client does (tools/subscriptions): "topic?options={"query":{...}}".
func subscriptionQuery(sub string) url.Values {
	out := url.Values{}
	u, err := url.Parse(sub)
	if err != nil {
		return out
	}
	var opts struct {
		Query map[string]any `json:"query"`
	}
	if raw := u.Query().Get("options"); raw == "" || json.Unmarshal([]byte(raw), &opts) != nil {
		return out
	}
	for k, v := range opts.Query {
		if s, ok := v.(string); ok {
			out.Set(k, s)
		} else if v != nil {
			out.Set(k, fmt.Sprint(v))
		}
	}
	return out
}

// checkBatch refuses a batch whose requests (their expand, mostly) ask too
// much: PocketBase runs them without the router's middlewares.
func (c *Service) checkBatch(e *core.BatchRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	for i, r := range e.Batch {
		u, err := url.Parse(r.URL)
		if err != nil {
			continue // PocketBase refuses it
		}
		if err := c.check(e.RequestEvent, u.Query(), strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return e.Next()
}

// budget answers a query that ran past the query timeout with 400
// query_too_expensive in the caller's language, and counts it.
func (c *Service) budget(e *core.RequestEvent, err error) error {
	if err == nil || !isQueryTimeout(err) || e.Written() {
		return err
	}
	c.tooExpensive.Add(1)
	e.App.Logger().Warn("query over its time budget", "path", e.Request.URL.Path, "query", e.Request.URL.RawQuery, "error", err)
	text := msg.Text(platform.RequestLang(e), CodeQueryTooExpensive, nil)
	return apis.NewBadRequestError(text, validation.Errors{"query": validation.NewError(CodeQueryTooExpensive, text)})
}

// isQueryTimeout reports whether err (or the raw error of an API error)
// is a query stopped by its deadline: PocketBase runs each record query
// under a context with the app's query timeout.
func isQueryTimeout(err error) bool {
	for range 4 {
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) {
			break
		}
		raw, ok := apiErr.RawData().(error)
		if !ok {
			return false
		}
		err = raw
	}
	return errors.Is(err, context.DeadlineExceeded)
}
