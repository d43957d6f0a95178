package churn

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/churn"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The coupon offered from the at-risk page: a share off the next
// purchase, one use, for a month.
const (
	OfferPercent = 20
	OfferDays    = 30
	MaxListed    = 200
)

// ReasonJSON is a reason as staff read it: its code, points and numbers,
// and the sentence in the caller's language.
type ReasonJSON struct {
	churn.Reason
	Text string `json:"text"`
}

// CouponJSON is the coupon offered to a student.
type CouponJSON struct {
	ID         string `json:"id"`
	Code       string `json:"code"`
	Percent    int    `json:"percent"`
	ValidUntil string `json:"valid_until"`
}

// AtRiskJSON is one student at risk.
type AtRiskJSON struct {
	Student  string       `json:"student"`
	Name     string       `json:"name"`
	Score    int          `json:"score"`
	Computed string       `json:"computed"`
	Reasons  []ReasonJSON `json:"reasons"`
	Coupon   *CouponJSON  `json:"coupon"`
}

// List answers GET /api/at-risk (staff): the students whose last score is
// churn.Threshold or more, highest first (at most MaxListed), with their
// reasons in the caller's language.
func (s *Service) List(e *core.RequestEvent) error {
	var rows []struct {
		Student  string         `db:"student"`
		Name     string         `db:"name"`
		Score    int            `db:"score"`
		Reasons  string         `db:"reasons"`
		Computed types.DateTime `db:"computed"`
		Coupon   string         `db:"coupon"`
		Code     string         `db:"code"`
		Percent  int            `db:"percent"`
		Until    types.DateTime `db:"valid_until"`
	}
	err := e.App.DB().NewQuery(`SELECT c.student, u.name, c.score, c.reasons, c.computed, c.coupon,
		COALESCE(k.code, '') AS code, COALESCE(k.percent, 0) AS percent, COALESCE(k.valid_until, '') AS valid_until
		FROM churn_scores c JOIN users u ON u.id = c.student LEFT JOIN coupons k ON k.id = c.coupon
		WHERE c.score >= {:threshold} ORDER BY c.score DESC, u.name, c.student LIMIT {:limit}`).
		Bind(dbx.Params{"threshold": churn.Threshold, "limit": MaxListed}).All(&rows)
	if err != nil {
		return err
	}
	lang := platform.RequestLang(e)
	items := make([]AtRiskJSON, len(rows))
	for i, r := range rows {
		var reasons []churn.Reason
		_ = json.Unmarshal([]byte(r.Reasons), &reasons) // written by Recompute
		item := AtRiskJSON{Student: r.Student, Name: r.Name, Score: r.Score, Computed: r.Computed.Time().UTC().Format(time.RFC3339), Reasons: []ReasonJSON{}}
		for _, x := range reasons {
			item.Reasons = append(item.Reasons, ReasonJSON{Reason: x, Text: churn.Text(lang, x)})
		}
		if r.Coupon != "" {
			item.Coupon = &CouponJSON{ID: r.Coupon, Code: r.Code, Percent: r.Percent, ValidUntil: r.Until.Time().UTC().Format(time.RFC3339)}
		}
		items[i] = item
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items, "threshold": churn.Threshold})
}

// OfferCoupon answers POST /api/at-risk/{id}/coupon (staff; {id} is the
// student's users id): a coupon of OfferPercent% off, one use, valid for
// OfferDays, for that student only, once per score at risk — the row is
// read and its coupon set in the coupon's transaction, under the write
// lock, so of many clicks at once one makes a coupon and the others are
// refused.
func (s *Service) OfferCoupon(e *core.RequestEvent) error {
	student := e.Request.PathValue("id")
	now := s.env.Now()
	var out CouponJSON
	err := e.App.RunInTransaction(func(tx core.App) error {
		var row struct {
			ID     string `db:"id"`
			Score  int    `db:"score"`
			Coupon string `db:"coupon"`
		}
		err := tx.DB().Select("id", "score", "coupon").From("churn_scores").Where(dbx.HashExp{"student": student}).One(&row)
		switch {
		case errors.Is(err, sql.ErrNoRows) || err == nil && row.Score < churn.Threshold:
			return platform.RuleError(http.StatusBadRequest, "student", "not_at_risk", "This student is not at risk.")
		case err != nil:
			return err
		case row.Coupon != "":
			return platform.RuleError(http.StatusConflict, "student", "coupon_offered", "A coupon was already offered to this student.")
		}
		person, err := platform.LoadPerson(tx, student)
		if err != nil {
			return err
		}
		coupon, err := newOffer(tx, student, person.Name, now)
		if err != nil {
			return err
		}
		// the row was read in this transaction, under the write lock: it
		// still has no coupon
		_, err = tx.DB().NewQuery("UPDATE churn_scores SET coupon = {:c}, updated = {:now} WHERE id = {:id} AND coupon = ''").
			Bind(dbx.Params{"c": coupon.Id, "now": platform.DBTime(now), "id": row.ID}).Execute()
		if err != nil {
			return err
		}
		out = CouponJSON{ID: coupon.Id, Code: coupon.GetString("code"), Percent: coupon.GetInt("percent"),
			ValidUntil: coupon.GetDateTime("valid_until").Time().UTC().Format(time.RFC3339)}
		platform.AuditIn(tx, e, "offer_coupon", "churn_scores", row.ID, map[string]any{"student": student, "coupon": coupon.Id})
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

// newOffer saves the coupon offered to the student (users id) named name:
// only they, or a guardian paying for them, may use it.
func newOffer(tx core.App, student, name string, now time.Time) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId("coupons")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"code":        "BACK-" + security.RandomStringWithAlphabet(8, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
		"description": "Offered to " + name + ", at risk of leaving",
		"percent":     OfferPercent, "max_uses": 1, "max_per_person": 1, "active": true,
		"valid_from": now, "valid_until": now.AddDate(0, 0, OfferDays), "people": []string{student},
	})
	return r, tx.Save(r)
}
