package hooks_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/debtools"

	"github.com/stretchr/testify/require"
)

// TestInsightReportPDFLanguage: a report's PDF prints its title, the lines
// under it, the columns' headings and the page numbers in the staff
// member's language (an Italian-speaking admin; a superuser by their
// browser's Accept-Language), its cells as the JSON has them.
func TestInsightReportPDFLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	d := buildInsightData(t, app)
	srv := hookstest.Serve(t, app)
	path := "/api/reports/utilisation?format=pdf&" + reportQuery(d.weeksFrom, d.weeksTo, "tutor", d.tutor).Encode()
	pdfText := func(token, acceptLanguage string) string {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", token)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.Equal(t, 200, res.StatusCode, string(body))
		text, _ := debtools.PDFText(t, body)
		return strings.Join(strings.Fields(text), " ")
	}
	italian := []string{"Report: occupazione", "Dal " + d.weeksFrom + " al " + d.weeksTo + " (escluso)", "Tutor: " + d.tutor,
		"settimana", "inizio", "nome", "disponibili", "prenotate", "Pagina 1 di 1", "Zoe Zeta"}
	english := []string{"Report: utilisation", "From " + d.weeksFrom + " to " + d.weeksTo + " (not included)", "Tutor: " + d.tutor,
		"week", "start", "name", "available", "booked", "Page 1 of 1", "Zoe Zeta"}

	it := pdfText(cast.Tokens[hookstest.Admin], "en") // the admin's own locale (it) wins over the browser's
	for _, s := range italian {
		require.Contains(t, it, s)
	}
	for _, s := range []string{"Report: utilisation", "not included", "Page 1 of 1", "available"} {
		require.NotContains(t, it, s)
	}
	en := pdfText(cast.Tokens[hookstest.Superuser], "en-GB,en;q=0.9")
	for _, s := range english {
		require.Contains(t, en, s)
	}
	require.NotContains(t, en, "occupazione")
	require.Contains(t, pdfText(cast.Tokens[hookstest.Superuser], "it-IT"), "Report: occupazione")
}
