// Package churn is the churn-risk capability of docs/insight.md: the daily
// job that scores every active student from their own history
// (internal/churn) and keeps the scores in churn_scores, the staff's list
// of students at risk (GET /api/at-risk) and the coupon staff offer one of
// them in a click (POST /api/at-risk/{id}/coupon; the message is the
// messages capability's staff thread).
package churn

import (
	"encoding/json"
	"fmt"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/churn"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Service computes and serves the churn scores.
type Service struct {
	env platform.Env
}

// New returns the churn-risk capability.
func New(env platform.Env) *Service { return &Service{env: env} }

// Recompute scores every active student at now and writes the scores,
// one upsert a student (a score that falls below churn.Threshold gives
// back the right to offer a coupon); rows of students no longer active
// are deleted. It is the daily job's body.
func (s *Service) Recompute(app core.App, now time.Time) error {
	hs, err := Histories(app, now)
	if err != nil {
		return err
	}
	stamp := platform.DBTime(now)
	for student, h := range hs {
		if !churn.Active(*h) {
			continue
		}
		res := churn.Score(*h, churn.DefaultWeights())
		if res.Reasons == nil {
			res.Reasons = []churn.Reason{}
		}
		reasons, _ := json.Marshal(res.Reasons) // codes and numbers: always encodes
		_, err := app.DB().NewQuery(`INSERT INTO churn_scores (id, student, score, reasons, computed, coupon, created, updated)
			VALUES ({:id}, {:student}, {:score}, {:reasons}, {:now}, '', {:now}, {:now})
			ON CONFLICT (student) DO UPDATE SET score = excluded.score, reasons = excluded.reasons, computed = excluded.computed,
				updated = excluded.updated, coupon = CASE WHEN excluded.score < {:threshold} THEN '' ELSE coupon END`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "student": student, "score": res.Score, "reasons": string(reasons),
				"now": stamp, "threshold": churn.Threshold}).Execute()
		if err != nil {
			return fmt.Errorf("failed to write a churn score: %w", err)
		}
	}
	_, err = app.DB().NewQuery("DELETE FROM churn_scores WHERE computed != {:now}").Bind(dbx.Params{"now": stamp}).Execute()
	return err
}
