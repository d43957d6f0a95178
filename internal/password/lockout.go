package password

import "time"

// Lockout turns failed sign-ins into temporary locks. Every Threshold
// consecutive failures lock the identity for Base, doubled for each earlier
// lock (Level) and capped at Max. Level returns to zero after a successful
// sign-in, or once Decay has passed since the last lock ended, so a user
// who trips the lock by accident on Monday starts from Base again on
// Wednesday. A zero or negative field takes its value from DefaultLockout,
// so the zero Lockout is usable.
type Lockout struct {
	Threshold int
	Base      time.Duration
	Max       time.Duration
	// Decay is the quiet period after a lock ends (LockedUntil) after which
	// the next failure starts again at Level 0.
	Decay time.Duration
}

// DefaultLockout returns 10 failures, a 15-minute first lock, locks capped
// at 24 hours, and Level forgotten 24 hours after the last lock ended.
func DefaultLockout() Lockout {
	return Lockout{
		Threshold: 10,
		Base:      15 * time.Minute,
		Max:       24 * time.Hour,
		Decay:     24 * time.Hour,
	}
}

func (l Lockout) withDefaults() Lockout {
	d := DefaultLockout()
	if l.Threshold <= 0 {
		l.Threshold = d.Threshold
	}
	if l.Base <= 0 {
		l.Base = d.Base
	}
	if l.Max <= 0 {
		l.Max = d.Max
	}
	if l.Decay <= 0 {
		l.Decay = d.Decay
	}
	return l
}

// State is what the app stores per sign-in identity (the lower-cased
// email). Its zero value is a fresh identity.
type State struct {
	// Failures counts failed sign-ins since the last lock or success.
	Failures int
	// Level counts locks so far; each one doubles the next lock.
	Level int
	// LockedUntil is when the current or most recent lock ends.
	LockedUntil time.Time
}

// Fail records one failed sign-in at now and returns the new state and
// whether this failure started a lock. When Failures reaches Threshold the
// identity is locked until now + Base*2^Level (capped at Max), Level
// increments and Failures resets to 0. A failure while still locked changes
// nothing and returns false: the app should refuse locked sign-ins without
// checking the password, and an attacker must not be able to extend a lock.
func (l Lockout) Fail(s State, now time.Time) (State, bool) {
	l = l.withDefaults()
	if l.Locked(s, now) {
		return s, false
	}
	if s.Level > 0 && !now.Before(s.LockedUntil.Add(l.Decay)) {
		s.Level = 0
	}
	s.Failures++
	if s.Failures < l.Threshold {
		return s, false
	}
	s.LockedUntil = now.Add(l.duration(s.Level))
	s.Level++
	s.Failures = 0
	return s, true
}

// duration is Base*2^level capped at Max, without overflowing for any level.
func (l Lockout) duration(level int) time.Duration {
	d := l.Base
	for i := 0; i < level && d < l.Max; i++ {
		if d > l.Max/2 {
			return l.Max
		}
		d *= 2
	}
	return min(d, l.Max)
}

// Locked reports whether s is locked at now. A lock ends exactly at
// LockedUntil.
func (l Lockout) Locked(s State, now time.Time) bool {
	return now.Before(s.LockedUntil)
}
