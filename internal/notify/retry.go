package notify

import (
	"errors"
	"time"
)

// ErrNotConfigured is returned by a channel client whose configuration is
// missing (no SMTP host, no Twilio credentials, no bot token). It is not a
// failed attempt: the dispatcher leaves the delivery queued, without
// counting an attempt, so it goes out once the channel is configured
// (unless it is stale by then).
var ErrNotConfigured = errors.New("notification channel not configured")

// Retry is the backoff of failed deliveries. Delays[i] is the wait after
// the (i+1)-th failed attempt; the last delay repeats when MaxAttempts
// allows more retries than there are delays. MaxAttempts counts every
// attempt, the first included.
type Retry struct {
	Delays      []time.Duration
	MaxAttempts int
}

// DefaultRetry retries after 1 minute, 5 minutes, 15 minutes, 1 hour and 4
// hours: six attempts in all, the last about 5 h 21 min after the first.
func DefaultRetry() Retry {
	return Retry{
		Delays:      []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour},
		MaxAttempts: 6,
	}
}

// Next reports when a delivery should be tried again after attempts failed
// attempts (1-based: 1 after the first failure), counted from now, or
// ok=false when attempts has reached MaxAttempts and the delivery is failed
// for good. Zero attempts means it has not been tried: now. With no Delays
// a retry is due at once.
func (r Retry) Next(attempts int, now time.Time) (at time.Time, ok bool) {
	if attempts <= 0 {
		return now, true
	}
	if attempts >= r.MaxAttempts {
		return time.Time{}, false
	}
	if len(r.Delays) == 0 {
		return now, true
	}
	return now.Add(r.Delays[min(attempts, len(r.Delays))-1]), true
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as permanent: the delivery is failed at once instead
// of retried (an invalid phone number, a chat that does not exist, a
// mailbox the server refuses). The message is err's own; errors.Is and
// errors.As still see err. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked with
// [Permanent]. Everything else (timeouts, refused connections, 5xx and 429
// answers) is worth retrying.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
