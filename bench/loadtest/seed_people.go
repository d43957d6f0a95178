package main

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// passwordHasher hashes the bench password once (bcrypt is slow on purpose)
// and reuses the hash for every seeded user.
type passwordHasher struct{ hash string }

func (p *passwordHasher) set(r *core.Record) {
	if p.hash == "" {
		r.SetPassword(benchPassword)
		p.hash = r.GetString("password:hash")
		return
	}
	r.SetRaw("password", &core.PasswordFieldValue{Hash: p.hash})
}

// userSeeder creates the seeded users inside one transaction, with the same
// emails, names, order and password in both data dirs, so that the load
// phases meet the same people on both servers; only the fields beyond the
// name differ.
type userSeeder struct {
	tx    core.App
	users *core.Collection
	pw    *passwordHasher
	// fields are a user's fields besides the email: Tutorbase's users also
	// have a role, a time zone and a locale, plain PocketBase's only a name.
	fields func(name, role, zone string) map[string]any
}

// newUserSeeder makes the users of one seeding transaction, with one
// password hash for all of them.
func newUserSeeder(tx core.App, fields func(name, role, zone string) map[string]any) (*userSeeder, error) {
	users, err := tx.FindCollectionByNameOrId("users")
	if err != nil {
		return nil, err
	}
	return &userSeeder{tx: tx, users: users, pw: &passwordHasher{}, fields: fields}, nil
}

// user saves a verified user who signs in with the bench password.
func (s *userSeeder) user(email, name, role, zone string) (*core.Record, error) {
	u := core.NewRecord(s.users)
	u.SetEmail(email)
	u.SetVerified(true)
	s.pw.set(u)
	u.Load(s.fields(name, role, zone))
	return u, s.tx.Save(u)
}

// students saves n students, each with a static auth token the load sends
// (signing in would measure bcrypt).
func (s *userSeeder) students(n int) ([]person, error) {
	var out []person
	for i := range n {
		u, err := s.user(fmt.Sprintf("student%05d@bench.localhost", i), fmt.Sprintf("Student %05d", i), "student", "Europe/Rome")
		if err != nil {
			return nil, fmt.Errorf("student: %w", err)
		}
		tok, err := u.NewStaticAuthToken(tokenLife)
		if err != nil {
			return nil, err
		}
		out = append(out, person{ID: u.Id, Name: u.GetString("name"), Token: tok})
	}
	return out, nil
}

// tutorProfile gives tutor user u its tutors record, the one bookings
// point at. The data dirs differ here: Tutorbase's hooks have made the
// profile already, plain PocketBase needs one created.
type tutorProfile func(tx core.App, u *core.Record, name, zone string) (*core.Record, error)

// tutors saves n tutors, their time zones taken in turn from tutorZones,
// each with its profile and a static auth token.
func (s *userSeeder) tutors(n int, profile tutorProfile) ([]tutorRef, error) {
	var out []tutorRef
	for i := range n {
		zone := tutorZones[i%len(tutorZones)]
		name := fmt.Sprintf("Tutor %04d", i)
		u, err := s.user(fmt.Sprintf("tutor%04d@bench.localhost", i), name, "tutor", zone)
		if err != nil {
			return nil, fmt.Errorf("tutor user: %w", err)
		}
		t, err := profile(s.tx, u, name, zone)
		if err != nil {
			return nil, err
		}
		tok, err := u.NewStaticAuthToken(tokenLife)
		if err != nil {
			return nil, err
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return nil, err
		}
		out = append(out, tutorRef{ID: t.Id, UserID: u.Id, Name: name, Zone: zone, Token: tok, loc: loc})
	}
	return out, nil
}
