package password

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

func TestLockoutFail(t *testing.T) {
	tests := []struct {
		name        string
		lockout     Lockout
		state       State
		now         time.Time
		want        State
		wantStarted bool
	}{
		{
			name:  "first failure counts",
			state: State{},
			now:   t0,
			want:  State{Failures: 1},
		},
		{
			name:  "9th failure does not lock",
			state: State{Failures: 8},
			now:   t0,
			want:  State{Failures: 9},
		},
		{
			name:        "10th failure locks for 15m",
			state:       State{Failures: 9},
			now:         t0,
			want:        State{Failures: 0, Level: 1, LockedUntil: t0.Add(15 * time.Minute)},
			wantStarted: true,
		},
		{
			name:        "second lock lasts 30m",
			state:       State{Failures: 9, Level: 1, LockedUntil: t0.Add(-time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 2, LockedUntil: t0.Add(30 * time.Minute)},
			wantStarted: true,
		},
		{
			name:        "sixth lock lasts 8h",
			state:       State{Failures: 9, Level: 5, LockedUntil: t0.Add(-time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 6, LockedUntil: t0.Add(8 * time.Hour)},
			wantStarted: true,
		},
		{
			name:        "lock capped at Max",
			state:       State{Failures: 9, Level: 7, LockedUntil: t0.Add(-time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 8, LockedUntil: t0.Add(24 * time.Hour)},
			wantStarted: true,
		},
		{
			name:        "huge level capped without overflow",
			state:       State{Failures: 9, Level: 1000, LockedUntil: t0.Add(-time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 1001, LockedUntil: t0.Add(24 * time.Hour)},
			wantStarted: true,
		},
		{
			name:        "huge level capped at a huge Max",
			lockout:     Lockout{Max: time.Duration(1<<63 - 1)},
			state:       State{Failures: 9, Level: 1000, LockedUntil: t0.Add(-time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 1001, LockedUntil: t0.Add(time.Duration(1<<63 - 1))},
			wantStarted: true,
		},
		{
			name:  "failure while locked is ignored",
			state: State{Failures: 0, Level: 1, LockedUntil: t0.Add(time.Minute)},
			now:   t0,
			want:  State{Failures: 0, Level: 1, LockedUntil: t0.Add(time.Minute)},
		},
		{
			name:  "failure exactly at LockedUntil counts",
			state: State{Failures: 0, Level: 1, LockedUntil: t0},
			now:   t0,
			want:  State{Failures: 1, Level: 1, LockedUntil: t0},
		},
		{
			name:        "level kept just under 24h after the lock ended",
			state:       State{Failures: 9, Level: 3, LockedUntil: t0.Add(-24*time.Hour + time.Nanosecond)},
			now:         t0,
			want:        State{Failures: 0, Level: 4, LockedUntil: t0.Add(2 * time.Hour)},
			wantStarted: true,
		},
		{
			name:        "level decays 24h after the lock ended",
			state:       State{Failures: 9, Level: 3, LockedUntil: t0.Add(-24 * time.Hour)},
			now:         t0,
			want:        State{Failures: 0, Level: 1, LockedUntil: t0.Add(15 * time.Minute)},
			wantStarted: true,
		},
		{
			name:  "decay leaves failures alone",
			state: State{Failures: 4, Level: 3, LockedUntil: t0.Add(-48 * time.Hour)},
			now:   t0,
			want:  State{Failures: 5, Level: 0, LockedUntil: t0.Add(-48 * time.Hour)},
		},
		{
			name:        "custom threshold and base",
			lockout:     Lockout{Threshold: 3, Base: time.Minute, Max: time.Hour},
			state:       State{Failures: 2, Level: 2, LockedUntil: t0.Add(-time.Minute)},
			now:         t0,
			want:        State{Failures: 0, Level: 3, LockedUntil: t0.Add(4 * time.Minute)},
			wantStarted: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.lockout
			if l == (Lockout{}) {
				l = DefaultLockout()
			}
			got, gotStarted := l.Fail(tt.state, tt.now)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantStarted, gotStarted)
		})
	}
}

func TestLockoutLocked(t *testing.T) {
	until := t0.Add(15 * time.Minute)
	tests := []struct {
		name  string
		state State
		now   time.Time
		want  bool
	}{
		{name: "fresh state", state: State{}, now: t0, want: false},
		{name: "before LockedUntil", state: State{Level: 1, LockedUntil: until}, now: until.Add(-time.Nanosecond), want: true},
		{name: "exactly at LockedUntil", state: State{Level: 1, LockedUntil: until}, now: until, want: false},
		{name: "after LockedUntil", state: State{Level: 1, LockedUntil: until}, now: until.Add(time.Second), want: false},
		{name: "failures alone do not lock", state: State{Failures: 9}, now: t0, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DefaultLockout().Locked(tt.state, tt.now)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestLockoutSequence walks one identity through the whole life cycle the
// way the app would drive it.
func TestLockoutSequence(t *testing.T) {
	l := DefaultLockout()
	var s State
	now := t0
	var started bool

	for i := 1; i <= 9; i++ {
		s, started = l.Fail(s, now)
		assert.False(t, started, "failure %d", i)
	}
	assert.False(t, l.Locked(s, now), "9 failures")

	s, started = l.Fail(s, now)
	assert.True(t, started, "10th failure")
	assert.True(t, l.Locked(s, now))
	assert.Equal(t, now.Add(15*time.Minute), s.LockedUntil)

	now = s.LockedUntil
	assert.False(t, l.Locked(s, now), "exactly at LockedUntil")
	for range 10 {
		s, started = l.Fail(s, now)
	}
	assert.True(t, started, "20th failure")
	assert.Equal(t, now.Add(30*time.Minute), s.LockedUntil)

	s = State{} // a sign-in that succeeds forgets the identity's state
	s, _ = l.Fail(s, now.Add(time.Hour))
	assert.Equal(t, State{Failures: 1}, s, "fresh after success")
}

func TestDefaultLockout(t *testing.T) {
	got := DefaultLockout()
	want := Lockout{Threshold: 10, Base: 15 * time.Minute, Max: 24 * time.Hour, Decay: 24 * time.Hour}
	assert.Equal(t, want, got)
}

func TestZeroLockoutUsesDefaults(t *testing.T) {
	got, gotStarted := Lockout{}.Fail(State{Failures: 9}, t0)
	want := State{Level: 1, LockedUntil: t0.Add(15 * time.Minute)}
	assert.Equal(t, want, got)
	assert.True(t, gotStarted)
}
