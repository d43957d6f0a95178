package password

import (
	"crypto/sha256"
	"encoding/base64"
)

// BcryptLimit is the longest password, in bytes, that bcrypt can hash.
const BcryptLimit = 71

// Prehash makes a password of any length fit bcrypt: one of at most
// BcryptLimit bytes is returned unchanged; a longer one becomes "~" followed
// by the unpadded base64url SHA-256 of its bytes (44 bytes). The store and
// every check apply it, so passwords up to the policy's 128 characters (up
// to 512 bytes in UTF-8) work and no two of them are truncated to the same
// 72 bytes. Prehash is idempotent: its output is short enough to pass
// through unchanged, so a client may also send the prehashed form (the web
// app does for oldPassword).
func Prehash(pw string) string {
	if len(pw) <= BcryptLimit {
		return pw
	}
	sum := sha256.Sum256([]byte(pw))
	return "~" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// IsPrehashed reports whether pw has the form Prehash gives a long
// password: "~" and 43 base64url characters.
func IsPrehashed(pw string) bool {
	if len(pw) != 44 || pw[0] != '~' {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(pw[1:])
	return err == nil
}
