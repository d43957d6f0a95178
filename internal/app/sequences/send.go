package sequences

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Run is the sequences job: for each sequence that is on, everyone it is
// due for gets its message, once (every 15 minutes).
func (s *Service) Run(app core.App, now time.Time) error {
	seqs, err := app.FindRecordsByFilter("sequences", "active = true", "trigger", 0, 0)
	if err != nil {
		return err
	}
	var errs []error
	for _, seq := range seqs {
		texts, err := Texts(seq)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids, err := due(app, seq.Id, seq.GetString("trigger"), now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, id := range ids {
			if err := s.send(app, seq, texts, id, now); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// send tells one person seq's message. The message is rendered outside
// the transaction; inside it, under the write lock, the sequence must
// still be on and neither sent to them nor unsubscribed from (compare and
// set; the unique index on (sequence, person) backs it), then the
// notification, its deliveries and the send are written together.
func (s *Service) send(app core.App, seq *core.Record, texts map[string]notify.Text, person string, now time.Time) error {
	tok, err := newToken(app, person, seq.Id)
	if err != nil {
		return err
	}
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	ev := notify.Event{Kind: notify.KindSequence, Texts: texts, Link: base + triggers[seq.GetString("trigger")].link,
		Unsubscribe: base + "/unsubscribe?token=" + url.QueryEscape(tok),
		Pixel:       base + "/api/sequences/open?token=" + url.QueryEscape(tok)}
	notes := s.notes.Prepare(app, []string{person}, ev, map[string]any{"sequence": seq.Id, "trigger": seq.GetString("trigger")})
	if len(notes) == 0 {
		return nil
	}
	return app.RunInTransaction(func(tx core.App) error {
		var blocked int
		err := tx.DB().NewQuery(`SELECT (SELECT COUNT(*) FROM sequences WHERE id = {:seq} AND active = FALSE)
			+ (SELECT COUNT(*) FROM sequence_sends WHERE sequence = {:seq} AND person = {:p})
			+ (SELECT COUNT(*) FROM sequence_optouts WHERE person = {:p} AND (sequence = {:seq} OR all_sequences = TRUE))`).
			Bind(dbx.Params{"seq": seq.Id, "p": person}).Row(&blocked)
		if err != nil || blocked > 0 {
			return err
		}
		if err := s.notes.Save(tx, notes[0], now); err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("sequence_sends")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Load(map[string]any{"sequence": seq.Id, "person": person, "notification": notes[0].ID()})
		return tx.Save(r)
	})
}
