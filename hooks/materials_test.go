package hooks_test

import (
	"fmt"
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/require"
)

// A material is linked only to a lesson its tutor teaches and shared only
// with the tutor's own students; staff may link and share anything. The
// fixture: Tutor teaches Student ("booking"), Tutor2 teaches Student
// ("past_confirmed"), nobody teaches Student2.
func TestMaterialsStayWithTheTutorsOwnLessons(t *testing.T) {
	t.Parallel()
	const url = "/api/collections/materials/records"
	create := func(name, role string, fields map[string]string, status int, content ...string) tests.ApiScenario {
		body := multipartBody{"owner": cast.Users[role], "title": "Worksheet"}
		for k, v := range fields {
			body[k] = v
		}
		r, h := encode(t, body, cast.Auth(role))
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: r, Headers: h,
			ExpectedStatus: status, ExpectedContent: withStatus(status, content), TestAppFactory: cast.Factory}
	}
	update := func(name, role string, body map[string]any, status int, content ...string) tests.ApiScenario {
		r, h := encode(t, body, cast.Auth(role))
		return tests.ApiScenario{Name: name, Method: http.MethodPatch, URL: url + "/" + cast.IDs["material"], Body: r, Headers: h,
			ExpectedStatus: status, ExpectedContent: withStatus(status, content), TestAppFactory: cast.Factory}
	}
	student, student2 := cast.Users[hookstest.Student], cast.Users[hookstest.Student2]

	scenarios := []tests.ApiScenario{
		create("tutor: own lesson, own student", hookstest.Tutor, map[string]string{"booking": cast.IDs["booking"], "shared_with": student}, 200, `"shared_with":["`+student+`"]`),
		create("tutor: another tutor's lesson", hookstest.Tutor, map[string]string{"booking": cast.IDs["past_confirmed"]}, 400, `"status":400`),
		create("tutor2: tutor's lesson", hookstest.Tutor2, map[string]string{"booking": cast.IDs["booking"]}, 400, `"status":400`),
		create("tutor: a student who never booked them", hookstest.Tutor, map[string]string{"shared_with": student2}, 400, `"shared_with":{"code":"not_your_student"`),
		create("tutor2: their own student", hookstest.Tutor2, map[string]string{"shared_with": student, "booking": cast.IDs["past_confirmed"]}, 200),
		create("admin: any lesson, anyone", hookstest.Admin, map[string]string{"booking": cast.IDs["past_confirmed"], "shared_with": student2}, 200),
		create("student: never", hookstest.Student, map[string]string{"shared_with": student2}, 400),
		update("tutor: adding a stranger", hookstest.Tutor, map[string]any{"shared_with+": student2}, 400, `"shared_with":{"code":"not_your_student"`),
		update("tutor: moving it to another tutor's lesson", hookstest.Tutor, map[string]any{"booking": cast.IDs["past_confirmed"]}, 404),
		update("tutor: to their own lesson, keeping their student", hookstest.Tutor, map[string]any{"booking": cast.IDs["booking"], "title": "v2"}, 200),
		update("admin: shares the tutor's material with anyone", hookstest.Admin, map[string]any{"shared_with+": student2}, 200, student2),
		update("superuser: likewise", hookstest.Superuser, map[string]any{"shared_with+": student2, "booking": cast.IDs["past_confirmed"]}, 200, student2),
	}
	for _, s := range scenarios {
		s.Test(t)
	}

	t.Run("a save from code is held to the same rules", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		col, err := app.FindCachedCollectionByNameOrId("materials")
		require.NoError(t, err)
		f, err := filesystem.NewFileFromBytes([]byte("x"), "x.txt")
		require.NoError(t, err)
		m := core.NewRecord(col)
		m.Load(map[string]any{"owner": cast.Users[hookstest.Tutor], "title": "Notes", "file": f, "booking": cast.IDs["past_confirmed"], "shared_with": []string{student2}})
		err = app.Save(m)
		var errs validation.Errors
		require.ErrorAs(t, err, &errs)
		require.Equal(t, "not_your_booking", errs["booking"].(validation.Error).Code())
		require.Equal(t, "not_your_student", errs["shared_with"].(validation.Error).Code())
	})
}

// withStatus adds what every answer of status shows to the expected content.
func withStatus(status int, content []string) []string {
	if status == 200 {
		return append(content, `"id":"`)
	}
	return append(content, fmt.Sprintf(`"status":%d`, status))
}
