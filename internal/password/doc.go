// Package password holds Tutorbase's password rules and sign-in lockout
// arithmetic, after NIST SP 800-63B-4.
//
// The policy is length plus a blocklist, with no composition rules: a
// password must be long enough (15 code points, or 8 when the account uses
// a second factor), at most 128 code points, absent from a list of common
// passwords from real breaches, and free of the account's email local part.
// On top, Estimate and CheckStrength rate a password with zxcvbn (the Go
// port of Dropbox's estimator) given what an attacker knows of the account
// (NewContext: the person's name and email, the school's name, the app's
// name) and refuse one below MinScore, saying why. Rejections are *Error
// values whose Message is safe to show a user; Text gives it in Italian.
//
// Lockout turns failed sign-ins into temporary locks whose length doubles
// with each successive lock, so online guessing stays slow without letting
// an attacker lock a user out for long.
//
// The package is pure: no I/O, no clock (callers pass now), no PocketBase.
package password
