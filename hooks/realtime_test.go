package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/messages"
	"tutorbase/internal/app/notifications"

	"github.com/stretchr/testify/require"
)

// Tutors and students watch their bookings change live, each seeing only
// their own, and get an in-app notification live too.
func TestRealtimeBookings(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)

	tutor := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], "bookings/*", "notifications/*")
	student := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student], "bookings/*", "notifications/*")
	other := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], "bookings/*", "notifications/*")
	otherTutor := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor], "bookings/*")

	s, e := romeSlot(3, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["id"].(string)

	ev, ok := tutor.Until("bookings/*", 5*time.Second)
	require.True(t, ok, "the tutor sees the new booking live")
	require.Equal(t, "create", ev.Data["action"])
	require.Equal(t, id, ev.Data["record"].(map[string]any)["id"])
	ev, ok = tutor.Until("notifications/*", 5*time.Second)
	require.True(t, ok, "and an in-app notification")
	require.Equal(t, "booking_created", ev.Data["record"].(map[string]any)["kind"])

	_, ok = student.Until("bookings/*", 5*time.Second)
	require.True(t, ok, "the student sees their own booking")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Tutor2], map[string]any{"reason": "Ill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok = student.Until("bookings/*", 5*time.Second)
	require.True(t, ok)
	require.Equal(t, "update", ev.Data["action"])
	require.Equal(t, "cancelled", ev.Data["record"].(map[string]any)["status"])
	ev, ok = student.Until("notifications/*", 5*time.Second)
	require.True(t, ok, "the student is told live")
	require.Equal(t, "booking_cancelled", ev.Data["record"].(map[string]any)["kind"])

	_, ok = other.Next(time.Second)
	require.False(t, ok, "another student sees nothing of it")
	_, ok = otherTutor.Next(200 * time.Millisecond)
	require.False(t, ok, "nor does another tutor")
}

// TestRealtimeStaffBookings: staff hear of every booking on the staff
// topic; anyone else who subscribes to it hears nothing.
func TestRealtimeStaffBookings(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)

	admin := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Admin], booking.StaffBookingsTopic)
	superuser := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Superuser], booking.StaffBookingsTopic)
	student := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], booking.StaffBookingsTopic)
	tutor := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], booking.StaffBookingsTopic)
	visitor := hookstest.Subscribe(t, srv, "", booking.StaffBookingsTopic)

	s, e := romeSlot(3, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["id"].(string)
	for _, staff := range []*hookstest.SSE{admin, superuser} {
		ev, ok := staff.Until(booking.StaffBookingsTopic, 5*time.Second)
		require.True(t, ok, "staff see someone else's new booking live")
		require.Equal(t, "create", ev.Data["action"])
		require.Equal(t, id, ev.Data["record"].(map[string]any)["id"])
	}

	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Tutor2], map[string]any{"reason": "Ill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok := admin.Until(booking.StaffBookingsTopic, 5*time.Second)
	require.True(t, ok)
	require.Equal(t, "update", ev.Data["action"])
	require.Equal(t, "cancelled", ev.Data["record"].(map[string]any)["status"])

	for name, c := range map[string]*hookstest.SSE{"a student": student, "a tutor": tutor, "a visitor": visitor} {
		_, ok := c.Until(booking.StaffBookingsTopic, 300*time.Millisecond)
		require.False(t, ok, name+" hears nothing on the staff topic")
	}
}

// TestRealtimeOwnTopics: a lesson's student and tutor hear of it, and of
// their notifications, on their own topics (the web app's pages listen
// there, not on "bookings/*", which evaluates the list rule per
// subscriber); anyone else subscribed to the same topics, staff and
// superusers included, hears nothing.
func TestRealtimeOwnTopics(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)

	topics := []string{booking.MyBookingsTopic, notifications.MyNotificationsTopic}
	tutor := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], topics...)
	student := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student], topics...)
	others := map[string]*hookstest.SSE{
		"another student": hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], topics...),
		"another tutor":   hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor], topics...),
		"a pending tutor": hookstest.Subscribe(t, srv, cast.Tokens[hookstest.TutorPending], topics...),
		"an admin":        hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Admin], topics...),
		"a superuser":     hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Superuser], topics...),
		"a visitor":       hookstest.Subscribe(t, srv, "", topics...),
	}

	s, e := romeSlot(3, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["id"].(string)
	for name, c := range map[string]*hookstest.SSE{"the tutor": tutor, "the student": student} {
		ev, ok := c.Until(booking.MyBookingsTopic, 5*time.Second)
		require.True(t, ok, name+" sees the new booking live")
		require.Equal(t, "create", ev.Data["action"])
		require.Equal(t, id, ev.Data["record"].(map[string]any)["id"])
	}
	ev, ok := tutor.Until(notifications.MyNotificationsTopic, 5*time.Second)
	require.True(t, ok, "the tutor gets the in-app notification live")
	require.Equal(t, "booking_created", ev.Data["record"].(map[string]any)["kind"])
	require.Equal(t, cast.Users[hookstest.Tutor2], ev.Data["record"].(map[string]any)["user"])

	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Tutor2], map[string]any{"reason": "Ill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok = student.Until(booking.MyBookingsTopic, 5*time.Second)
	require.True(t, ok)
	require.Equal(t, "update", ev.Data["action"])
	require.Equal(t, "cancelled", ev.Data["record"].(map[string]any)["status"])
	ev, ok = student.Until(notifications.MyNotificationsTopic, 5*time.Second)
	require.True(t, ok, "the student is told live")
	require.Equal(t, "booking_cancelled", ev.Data["record"].(map[string]any)["kind"])
	require.Equal(t, cast.Users[hookstest.Student], ev.Data["record"].(map[string]any)["user"])

	for name, c := range others {
		ev, ok := c.Next(300 * time.Millisecond)
		require.False(t, ok, "%s hears nothing on the own topics (got %+v)", name, ev)
	}
}

// TestRealtimeOwnMessages: a thread's readers (participants, the
// student's guardian) hear its messages and its changes on their own
// topics, staff once it is reported; anyone else subscribed to them hears
// nothing.
func TestRealtimeOwnMessages(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	topics := []string{messages.MyMessagesTopic, messages.MyThreadsTopic}
	student := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student], topics...)
	guardian := hookstest.Subscribe(t, srv, gina.token, topics...)
	admin := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Admin], topics...)
	others := map[string]*hookstest.SSE{
		"another student": hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], topics...),
		"another tutor":   hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], topics...),
		"a visitor":       hookstest.Subscribe(t, srv, "", topics...),
	}

	res := sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], cast.IDs["thread"], "See you on Monday")
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok := student.Until(messages.MyMessagesTopic, 5*time.Second)
	require.True(t, ok, "the student hears the message live")
	require.Equal(t, "create", ev.Data["action"])
	require.Equal(t, "See you on Monday", ev.Data["record"].(map[string]any)["body"])
	heard := map[string]bool{}
	for len(heard) < 2 {
		ev, ok := guardian.Next(5 * time.Second)
		require.True(t, ok, "the student's guardian hears the message and the thread moving up their list (heard %v)", heard)
		heard[ev.Name] = true
	}
	require.Equal(t, map[string]bool{messages.MyMessagesTopic: true, messages.MyThreadsTopic: true}, heard)
	_, ok = admin.Next(300 * time.Millisecond)
	require.False(t, ok, "staff hear nothing of a thread not reported to them")

	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+cast.IDs["thread"]+"/report", cast.Tokens[hookstest.Student], map[string]any{"reason": "Rude"}).Status)
	ev, ok = admin.Until(messages.MyThreadsTopic, 5*time.Second)
	require.True(t, ok, "staff hear of the thread reported to them")
	require.Equal(t, true, ev.Data["record"].(map[string]any)["reported"])
	res = sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], cast.IDs["thread"], "Still here")
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok = admin.Until(messages.MyMessagesTopic, 5*time.Second)
	require.True(t, ok, "and of its messages")
	require.Equal(t, "Still here", ev.Data["record"].(map[string]any)["body"])

	for name, c := range others {
		ev, ok := c.Next(300 * time.Millisecond)
		require.False(t, ok, "%s hears nothing on the own topics (got %+v)", name, ev)
	}
}
