package password

import (
	"strings"
	"unicode/utf8"
)

// Codes carried by Error.Code, stable for clients to switch on.
const (
	// CodeTooShort means the password has fewer runes than the applicable minimum.
	CodeTooShort = "too_short"
	// CodeTooLong means the password has more runes than MaxLength.
	CodeTooLong = "too_long"
	// CodeCommon means the password is on the embedded common-password list (see IsCommon).
	CodeCommon = "common"
	// CodeContainsEmail means the password contains the account's email local part.
	CodeContainsEmail = "contains_email"
	// CodeWeak means the strength estimator rates the password below MinScore.
	CodeWeak = "weak"
)

// minEmailLocalRunes is the shortest email local part worth rejecting: a
// shorter one ("al", "bob") turns up by chance in too many good passwords.
const minEmailLocalRunes = 4

// Error is a password rejection fit for a client: Code is machine-readable
// and Message is a capitalised English sentence that never echoes the
// password; Text gives it in another language.
type Error struct {
	Code    string
	Message string
	Limit   int      // the length bound broken (too_short, too_long)
	Reasons []string // why the estimator guesses it (weak)
}

// Error returns the user-facing message.
func (e *Error) Error() string { return e.Message }

// Policy is a length-and-blocklist password policy. Lengths count Unicode
// code points (runes), not bytes, so "café" is 4 long; no normalisation is
// applied. A zero or negative field takes its value from DefaultPolicy, so
// the zero Policy is usable.
type Policy struct {
	// MinLength applies to accounts that sign in with a password alone.
	MinLength int
	// MinLengthMFA applies to accounts that also use a second factor.
	MinLengthMFA int
	// MaxLength bounds hashing cost; NIST asks that it be at least 64.
	MaxLength int
}

// DefaultPolicy returns the NIST SP 800-63B-4 lengths: 15 for single-factor
// accounts, 8 with a second factor, and at most 128.
func DefaultPolicy() Policy {
	return Policy{MinLength: 15, MinLengthMFA: 8, MaxLength: 128}
}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.MinLength <= 0 {
		p.MinLength = d.MinLength
	}
	if p.MinLengthMFA <= 0 {
		p.MinLengthMFA = d.MinLengthMFA
	}
	if p.MaxLength <= 0 {
		p.MaxLength = d.MaxLength
	}
	return p
}

// Check returns nil when pw is acceptable, or else a *Error for the first
// rule it breaks, in this order: too_long, too_short, common,
// contains_email. mfa says the account signs in with a second factor, which
// lowers the minimum to MinLengthMFA. email is the account's address; pw is
// rejected when it contains the address's local part, case-insensitively,
// provided that part is at least 4 runes long. For a plus-address
// ("jane.doe+tutor@x.org") the part before the "+" is checked as well. An
// empty email skips that rule.
func (p Policy) Check(pw, email string, mfa bool) error {
	p = p.withDefaults()
	n := utf8.RuneCountInString(pw)
	if n > p.MaxLength {
		return newError(CodeTooLong, p.MaxLength)
	}
	minLen := p.MinLength
	if mfa {
		minLen = p.MinLengthMFA
	}
	if n < minLen {
		return newError(CodeTooShort, minLen)
	}
	if IsCommon(pw) {
		return newError(CodeCommon, 0)
	}
	if containsEmailLocal(pw, email) {
		return newError(CodeContainsEmail, 0)
	}
	return nil
}

func newError(code string, limit int) *Error {
	e := &Error{Code: code, Limit: limit}
	e.Message = e.Text("en")
	return e
}

// containsEmailLocal reports whether pw contains the local part of email
// (or, for a plus-address, its part before the "+"), ignoring case.
func containsEmailLocal(pw, email string) bool {
	local := strings.TrimSpace(email)
	if i := strings.LastIndex(local, "@"); i >= 0 {
		local = local[:i]
	}
	lowerPW := strings.ToLower(pw)
	candidates := []string{local}
	if base, _, ok := strings.Cut(local, "+"); ok {
		candidates = append(candidates, base)
	}
	for _, c := range candidates {
		if utf8.RuneCountInString(c) < minEmailLocalRunes {
			continue
		}
		if strings.Contains(lowerPW, strings.ToLower(c)) {
			return true
		}
	}
	return false
}
