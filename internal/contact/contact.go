// Package contact holds the rules for proving a contact detail before
// Tutorbase sends anything to it: a code sent by SMS or WhatsApp proves a
// phone number, and a one-time token a person sends to the school's
// Telegram bot (through a t.me deep link, "/start <token>") proves a chat.
// Secrets are stored only as salted SHA-256 hashes, expire, and a code
// allows a few wrong tries.
//
// The package is pure: no I/O besides crypto/rand, no clock (callers pass
// times in), no PocketBase.
package contact

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Limits of a proof.
const (
	CodeDigits  = 6                // digits of a phone code
	CodeTTL     = 10 * time.Minute // a phone code expires after this
	MaxAttempts = 5                // wrong codes before a new one is needed
	ResendAfter = time.Minute      // the least time between two codes
	LinkTTL     = 30 * time.Minute // a Telegram link expires after this
)

// NewCode returns a random code of CodeDigits decimal digits.
func NewCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", CodeDigits, n.Int64()), nil
}

// NewToken returns a random token for a Telegram deep link: 32 base32
// characters (A-Z, 2-7), 160 bits; Telegram allows up to 64 of
// [A-Za-z0-9_-].
func NewToken() string { return rand.Text() + rand.Text()[:6] }

// Hash is what is stored of secret: SHA-256 of salt (the user's id, so
// equal codes of two people differ) and secret.
func Hash(salt, secret string) string {
	sum := sha256.Sum256([]byte(salt + "\x00" + secret))
	return hex.EncodeToString(sum[:])
}

// Matches reports, in constant time, whether secret hashes to stored.
func Matches(stored, salt, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(Hash(salt, secret))) == 1
}

// NormalizeCode keeps the digits of what a person typed ("123 456").
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// StartToken reads the token of a "/start <token>" message (also
// "/start@SchoolBot <token>"), as Telegram sends it when a person opens a
// deep link and presses Start.
func StartToken(text string) (string, bool) {
	cmd, token, ok := strings.Cut(strings.TrimSpace(text), " ")
	if !ok || (cmd != "/start" && !strings.HasPrefix(cmd, "/start@")) {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \n") {
		return "", false
	}
	return token, true
}

// CodeText is the SMS or WhatsApp message carrying a code, in lang ("it",
// else English).
func CodeText(lang, school, code string) string {
	if lang == "it" {
		return fmt.Sprintf("%s: il tuo codice di conferma è %s. Scade tra %d minuti.", school, code, int(CodeTTL/time.Minute))
	}
	return fmt.Sprintf("%s: your confirmation code is %s. It expires in %d minutes.", school, code, int(CodeTTL/time.Minute))
}

// ConnectedText is the bot's answer once a chat is connected, in lang.
func ConnectedText(lang, school string) string {
	if lang == "it" {
		return "Fatto: " + school + " ti scriverà qui. Puoi scollegare Telegram dalla pagina del tuo account."
	}
	return "Done: " + school + " will message you here. You can disconnect Telegram on your account page."
}
