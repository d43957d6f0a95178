package assist

import (
	"fmt"
	"strconv"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// DemandDays is how far back staff's unmet demand looks; MaxDemand how
// many tutors it lists.
const (
	DemandDays = 30
	MaxDemand  = 10
)

// DemandJSON is a tutor students searched without finding free time.
type DemandJSON struct {
	Text     string `json:"text"`
	Tutor    string `json:"tutor"`
	Name     string `json:"name"`
	Searches int    `json:"searches"`
}

// demand lists the tutors with the most searches without free time in
// the last DemandDays school days (today included).
func (s *Service) demand(app core.App, lang string) ([]DemandJSON, error) {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	since := s.env.Now().In(school.Location).AddDate(0, 0, -(DemandDays - 1)).Format(time.DateOnly)
	var rows []struct {
		Tutor    string `db:"tutor"`
		Name     string `db:"name"`
		Searches int    `db:"searches"`
	}
	err = app.DB().NewQuery(`SELECT u.tutor AS tutor, t.name AS name, CAST(SUM(u.searches) AS INTEGER) AS searches
		FROM unmet_demand u JOIN tutors t ON t.id = u.tutor WHERE u.day >= {:since}
		GROUP BY u.tutor ORDER BY searches DESC, t.name, u.tutor LIMIT ` + strconv.Itoa(MaxDemand)).
		Bind(dbx.Params{"since": since}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load unmet demand: %w", err)
	}
	out := make([]DemandJSON, len(rows))
	for i, r := range rows {
		n := strconv.Itoa(r.Searches)
		text := r.Name + " had no free time in " + n + " searches of the last 30 days."
		if lang == "it" {
			text = r.Name + " non aveva tempo libero in " + n + " ricerche degli ultimi 30 giorni."
		}
		out[i] = DemandJSON{Text: text, Tutor: r.Tutor, Name: r.Name, Searches: r.Searches}
	}
	return out, nil
}
