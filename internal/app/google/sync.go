package google

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"tutorbase/internal/icalfeed"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"google.golang.org/api/calendar/v3"
)

// Sync tokens and push notifications. Each chosen calendar keeps the
// nextSyncToken of its last events.list; a read asks only what changed
// since (ids only: Tutorbase never reads an event's title or guests), and
// reads the busy times again by freeBusy only when something changed or
// once a day (so the horizon moves). Google answering 410 Gone drops the
// token: a full list gives a new one and the busy times are read again.
// A calendar whose events the person may not list (they see only its
// free/busy) is read by freeBusy at every poll.
//
// With GOOGLE_PUSH_URL set, each chosen calendar has an events.watch
// channel to POST /api/google/push, carrying the connection's secret
// channel token; a push whose channel, token and resource match is taken
// once per message number (compare-and-set), then the busy times are
// brought up to date at once. Channels are renewed by the 5-minute poll a
// day before they expire, stopped when their calendar is no longer chosen
// and when the person disconnects. The poll keeps running with push on:
// it is what renews, and it catches a push Google never sent.
const (
	// fullEvery forces a freeBusy read without a change, so the horizon moves.
	fullEvery = 24 * time.Hour
	// channelTTL is the life asked for a channel (Google's maximum is a week or more).
	channelTTL = 7 * 24 * time.Hour
	// renewBefore renews a channel that expires within it.
	renewBefore = 24 * time.Hour
	// PushPath is the webhook Google calls (GOOGLE_PUSH_URL + PushPath).
	PushPath = "/api/google/push"
)

// channel is an events.watch channel of a chosen calendar.
type channel struct {
	ID       string `json:"id"`
	Resource string `json:"resource"`
	Calendar string `json:"calendar"`
	Expires  int64  `json:"expires"` // unix milliseconds, as Google answers
	Seen     int64  `json:"seen"`    // the highest message number taken
}

// busyRead is the outcome of reading a connection.
type busyRead struct {
	read      bool // freeBusy was asked: intervals replace the stored ones
	intervals []icalfeed.Interval
	tokens    map[string]string
	secret    string
	channels  []channel // to store
	opened    []channel // opened by this read: stopped if it is not stored
	stop      []channel // to stop once it is stored
}

// readBusy reads what changed in l's chosen calendars, their busy times
// when needed, and keeps their channels.
func (s *Service) readBusy(app core.App, l *linkRow, from, to, now time.Time, fresh bool) (*busyRead, error) {
	svc, ctx, done, err := s.calendarClient(app, l.User, fresh)
	if err != nil {
		return nil, err
	}
	defer done()
	cals := busyCalendars(l.Busy)
	r := &busyRead{tokens: map[string]string{}, secret: l.Secret}
	var old map[string]string
	_ = json.Unmarshal([]byte(l.Tokens), &old)
	changed := len(old) != len(cals) // a calendar no longer chosen (a newly chosen one has no token yet)
	for _, cal := range cals {
		tok, moved, err := changesSince(ctx, svc, cal, old[cal])
		if err != nil {
			return nil, err
		}
		r.tokens[cal] = tok
		changed = changed || moved
	}
	full, _ := time.Parse("2006-01-02 15:04:05.000Z", l.FullAt)
	if changed || now.Sub(full) >= fullEvery {
		if r.intervals, err = freeBusy(ctx, svc, cals, from, to); err != nil {
			return nil, err
		}
		r.read = true
	}
	if s.env.Config.Google.PushURL != "" {
		s.watch(ctx, app, svc, l, cals, now, r)
	}
	return r, nil
}

// changesSince lists cal's changes since tok (ids only) and answers the
// next token and whether anything changed. No token, or Google answering
// 410 Gone, lists the calendar in full for a new token (a change, by
// definition). A calendar the person may not list answers no token and a
// change: it is read by freeBusy every time.
func changesSince(ctx context.Context, svc *calendar.Service, cal, tok string) (string, bool, error) {
	if tok != "" {
		next, n, err := listEvents(ctx, svc, cal, tok)
		if err == nil {
			return next, n > 0, nil
		}
		if !isStatus(err, http.StatusGone) {
			return "", false, noList(err)
		}
	}
	next, _, err := listEvents(ctx, svc, cal, "")
	return next, true, noList(err)
}

// noList lets a calendar the person may not list (403, 404) through.
func noList(err error) error {
	if isStatus(err, http.StatusForbidden, http.StatusNotFound) {
		return nil
	}
	return err
}

// listEvents pages through events.list of cal from tok (or in full) and
// answers the nextSyncToken and how many events changed.
func listEvents(ctx context.Context, svc *calendar.Service, cal, tok string) (string, int, error) {
	call := svc.Events.List(cal).ShowDeleted(tok != "").MaxResults(2500).Fields("items(id)", "nextPageToken", "nextSyncToken")
	if tok != "" {
		call = call.SyncToken(tok)
	}
	var next string
	n := 0
	for page := ""; ; {
		res, err := call.PageToken(page).Context(ctx).Do()
		if err != nil {
			return "", 0, err
		}
		n += len(res.Items)
		if res.NextPageToken == "" {
			next = res.NextSyncToken
			break
		}
		page = res.NextPageToken
	}
	return next, n, nil
}

// watch keeps one live channel per chosen calendar: a calendar without
// one, or whose channel expires within renewBefore, gets a new one (the
// old is stopped once the read is stored); channels of calendars no
// longer chosen are stopped. A watch Google refuses is tried at the next
// poll (the poll keeps reading meanwhile).
func (s *Service) watch(ctx context.Context, app core.App, svc *calendar.Service, l *linkRow, cals []string, now time.Time, r *busyRead) {
	var have []channel
	_ = json.Unmarshal([]byte(l.Channels), &have)
	if r.secret == "" {
		r.secret = randomHex(24)
	}
	for _, ch := range have {
		if !slices.Contains(cals, ch.Calendar) || time.UnixMilli(ch.Expires).Sub(now) < renewBefore {
			r.stop = append(r.stop, ch)
			continue
		}
		r.channels = append(r.channels, ch)
	}
	for _, cal := range cals {
		if hasChannel(r.channels, cal) {
			continue
		}
		got, err := svc.Events.Watch(cal, &calendar.Channel{Id: randomHex(16), Type: "web_hook", Token: r.secret,
			Address: s.env.Config.Google.PushURL + PushPath, Params: map[string]string{"ttl": strconv.Itoa(int(channelTTL.Seconds()))}}).Context(ctx).Do()
		if err != nil {
			app.Logger().Warn("google calendar not watched", "user", l.User, "calendar", cal, "error", err)
			continue
		}
		ch := channel{ID: got.Id, Resource: got.ResourceId, Calendar: cal, Expires: got.Expiration}
		r.channels, r.opened = append(r.channels, ch), append(r.opened, ch)
	}
}

// stopChannels stops channels at Google (best effort: a channel not
// stopped expires on its own, and its pushes find no connection).
func (s *Service) stopChannels(app core.App, user string, chans []channel) {
	if len(chans) == 0 {
		return
	}
	svc, ctx, done, err := s.calendarClient(app, user, false)
	if err != nil {
		return
	}
	defer done()
	for _, ch := range chans {
		if err := svc.Channels.Stop(&calendar.Channel{Id: ch.ID, ResourceId: ch.Resource}).Context(ctx).Do(); err != nil {
			app.Logger().Warn("google channel not stopped", "user", user, "channel", ch.ID, "error", err)
		}
	}
}

// Push is POST /api/google/push, Google's push notification of a change
// in a watched calendar. A push is taken only if its channel is one of a
// connection's, with that connection's secret token and the channel's
// resource; each message number is taken once (compare-and-set on the
// channel's highest number), so duplicates make one read. Anything else
// answers 404 and changes nothing.
func (s *Service) Push(e *core.RequestEvent) error {
	h := e.Request.Header
	id, state := h.Get("X-Goog-Channel-ID"), h.Get("X-Goog-Resource-State")
	num, _ := strconv.ParseInt(h.Get("X-Goog-Message-Number"), 10, 64)
	if !s.CalendarOn() || s.env.Config.Google.PushURL == "" || id == "" {
		return e.NotFoundError("", nil)
	}
	var row struct {
		Id       string `db:"id"`
		User     string `db:"user"`
		Secret   string `db:"channel_token"`
		Channels string `db:"channels"`
	}
	err := e.App.DB().Select("id", "user", "channel_token", "channels").From(Links).Where(dbx.HashExp{"status": LinkConnected}).
		AndWhere(dbx.NewExp("EXISTS (SELECT 1 FROM json_each(channels) WHERE json_extract(value, '$.id') = {:id})", dbx.Params{"id": id})).
		One(&row)
	if err != nil || row.Secret == "" || subtle.ConstantTimeCompare([]byte(h.Get("X-Goog-Channel-Token")), []byte(row.Secret)) != 1 {
		return e.NotFoundError("", nil)
	}
	var chans []channel
	_ = json.Unmarshal([]byte(row.Channels), &chans)
	i := channelIndex(chans, id)
	if i < 0 || chans[i].Resource != h.Get("X-Goog-Resource-ID") {
		return e.NotFoundError("", nil)
	}
	if state == "sync" || num <= 0 { // the channel's first message: nothing changed yet
		return e.NoContent(http.StatusNoContent)
	}
	path := "$[" + strconv.Itoa(i) + "]"
	res, err := e.App.DB().NewQuery(`UPDATE ` + Links + ` SET channels = json_set(channels, '` + path + `.seen', {:n})
		WHERE id = {:link} AND status = 'connected' AND json_extract(channels, '` + path + `.id') = {:id}
		AND COALESCE(json_extract(channels, '` + path + `.seen'), 0) < {:n}`).
		Bind(dbx.Params{"n": num, "link": row.Id, "id": id}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return e.NoContent(http.StatusNoContent) // taken already
	}
	if err := s.ImportBusy(e.App, row.User, s.env.Now()); err != nil {
		e.App.Logger().Warn("google busy times not read after a push", "user", row.User, "error", err)
	}
	return e.NoContent(http.StatusNoContent)
}

// linkChannels are a connection's open channels (to stop on disconnect).
func linkChannels(link *core.Record) []channel {
	var chans []channel
	_ = json.Unmarshal([]byte(link.GetString("channels")), &chans)
	return chans
}

func channelIndex(chans []channel, id string) int {
	for i, ch := range chans {
		if ch.ID == id {
			return i
		}
	}
	return -1
}

func hasChannel(chans []channel, cal string) bool {
	for _, ch := range chans {
		if ch.Calendar == cal {
			return true
		}
	}
	return false
}

// jsonText is v as JSON ("null" for a nil slice or map).
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
