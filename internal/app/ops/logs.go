package ops

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sync"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// RequestIDHeader carries each request's id: taken from a proxy that set
// it (a sane value), made otherwise, answered back and stored with the
// request's log line (meta.requestId), so one request can be followed from
// the proxy's log to the server's.
const RequestIDHeader = "X-Request-Id"

var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID sets e's request id.
func requestID(e *core.RequestEvent) string {
	id := e.Request.Header.Get(RequestIDHeader)
	if !saneRequestID.MatchString(id) {
		id = security.RandomString(20)
	}
	e.Response.Header().Set(RequestIDHeader, id)
	meta, _ := e.Get(apis.RequestEventKeyLogMeta).(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["requestId"] = id
	e.Set(apis.RequestEventKeyLogMeta, meta)
	return id
}

// jsonLogs writes every log line PocketBase stores (requests, jobs,
// errors) to a writer as one JSON object: time, level, msg and the line's
// data. PocketBase stores logs in batches, so a line is written up to 3
// seconds after the event.
type jsonLogs struct {
	mu  sync.Mutex
	out io.Writer
}

// SetLogOutput sends the JSON log lines (TB_LOG_FORMAT=json) to w instead
// of stderr.
func (s *Service) SetLogOutput(w io.Writer) {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	s.logs.out = w
}

// bind writes each log as it is inserted (PocketBase reuses one model for
// a batch, so an after-commit hook would see only the last).
func (l *jsonLogs) bind(app core.App) {
	app.OnModelCreateExecute(core.LogsTableName).BindFunc(func(e *core.ModelEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if rec, ok := e.Model.(*core.Log); ok {
			l.write(rec)
		}
		return nil
	})
}

func (l *jsonLogs) write(rec *core.Log) {
	line := map[string]any{}
	for k, v := range rec.Data {
		line[k] = v
	}
	line["time"] = rec.Created.Time().UTC()
	line["level"] = slog.Level(rec.Level).String()
	line["msg"] = rec.Message
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.out
	if out == nil {
		out = os.Stderr
	}
	out.Write(append(b, '\n'))
}
