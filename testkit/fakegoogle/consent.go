package fakegoogle

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// The consent page a browser is sent to (GOOGLE_OAUTH_BASE + /o/oauth2/v2/auth):
// a form asking which account allows the access; Allow answers the
// redirect address with a code for that account and the state, as Google
// does. And POST /fake/calendars, the browser tests' way to give an
// account its calendars (the command's stand-in for SetCalendars).

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (fake)</title></head>
<body><main><h1>Choose an account</h1>
<p>Tutorbase wants to access your Google Account: {{.Scope}}</p>
<form method="post" action="/o/oauth2/v2/auth/approve">
<input type="hidden" name="redirect_uri" value="{{.Redirect}}"><input type="hidden" name="state" value="{{.State}}">
<label for="email">Email</label> <input id="email" name="email" type="email" required>
<button type="submit">Allow</button></form></main></body></html>`))

func (s *Server) consentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /o/oauth2/v2/auth", s.consent)
	mux.HandleFunc("POST /o/oauth2/v2/auth/approve", s.approve)
	mux.HandleFunc("POST /fake/calendars", s.setCalendars)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
}

func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != ClientID || q.Get("redirect_uri") == "" || q.Get("response_type") != "code" {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentPage.Execute(w, map[string]string{"Scope": q.Get("scope"), "Redirect": q.Get("redirect_uri"), "State": q.Get("state")})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	back, err := url.Parse(r.PostForm.Get("redirect_uri"))
	if email == "" || err != nil || (back.Scheme != "http" && back.Scheme != "https") {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	code := s.Grant(Account{Sub: "g-" + email, Email: email, Name: strings.Split(email, "@")[0]})
	q := back.Query()
	q.Set("code", code)
	q.Set("state", r.PostForm.Get("state"))
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (s *Server) setCalendars(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email     string
		Calendars []Calendar
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Email == "" {
		writeError(w, http.StatusBadRequest, "Bad calendars.")
		return
	}
	s.SetCalendars(in.Email, in.Calendars...)
	w.WriteHeader(http.StatusNoContent)
}
