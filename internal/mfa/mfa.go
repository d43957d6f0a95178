// Package mfa is the arithmetic of the second factors: authenticator-app
// codes (TOTP, RFC 6238: 6 digits, 30-second steps, SHA-1, as every app
// reads from a QR code), one-time recovery codes, and the secrets of
// remembered devices. Only hashes of recovery codes and device secrets are
// ever stored; a TOTP secret must be kept to check codes.
package mfa

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Step is the length of one TOTP step.
const Step = 30 * time.Second

// Skew is how many steps before or after now a code is still taken (a
// phone's clock a little off, a code typed as it changed).
const Skew = 1

// RecoveryCodes is how many recovery codes a person gets.
const RecoveryCodes = 10

var opts = totp.ValidateOpts{Period: uint(Step / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewKey makes a new TOTP secret for account at issuer, and the otpauth://
// URL an app reads from a QR code.
func NewKey(issuer, account string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: opts.Period, Digits: opts.Digits, Algorithm: opts.Algorithm})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// StepAt is the number of the TOTP step an instant falls in.
func StepAt(t time.Time) int64 { return t.Unix() / int64(Step/time.Second) }

// Code is the TOTP code of secret at t.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

// Verify checks a TOTP code at now, within Skew steps, and returns the
// step it belongs to. A code of a step at or before lastStep is refused: a
// code is good once (RFC 6238 §5.2).
func Verify(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	base := StepAt(now)
	for d := int64(-Skew); d <= Skew; d++ {
		s := base + d
		if s <= lastStep {
			continue
		}
		want, err := Code(secret, time.Unix(s*int64(Step/time.Second), 0))
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

var codeAlphabet = base32.NewEncoding("abcdefghjkmnpqrstuvwxyz023456789").WithPadding(base32.NoPadding)

// NewRecoveryCodes makes n recovery codes, "xxxxx-xxxxx" of letters and
// digits that are not mistaken for one another, with their hashes.
func NewRecoveryCodes(n int) (codes, hashes []string, err error) {
	for range n {
		b := make([]byte, 7)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, err
		}
		s := codeAlphabet.EncodeToString(b)[:10]
		c := s[:5] + "-" + s[5:]
		codes = append(codes, c)
		hashes = append(hashes, Hash(c))
	}
	return codes, hashes, nil
}

// Hash is the stored form of a recovery code or a device secret: SHA-256
// of it without spaces, dashes or case (these secrets are random and long,
// so no slow hash is needed).
func Hash(secret string) string {
	s := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(secret)))
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// MatchRecovery returns the index of the hash code matches, or -1.
func MatchRecovery(hashes []string, code string) int {
	h := Hash(code)
	found := -1
	for i, x := range hashes {
		if subtle.ConstantTimeCompare([]byte(x), []byte(h)) == 1 {
			found = i
		}
	}
	return found
}

// NewDeviceSecret makes the secret a remembered device keeps.
func NewDeviceSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Device is one remembered device: the hash of its secret and until when
// it may skip the second factor.
type Device struct {
	Hash  string    `json:"hash"`
	Until time.Time `json:"until"`
}

// MaxDevices bounds the devices remembered per person: the oldest are
// forgotten first.
const MaxDevices = 10

// Remember adds a device to devices, dropping expired ones and the oldest
// beyond MaxDevices.
func Remember(devices []Device, secret string, until, now time.Time) []Device {
	out := make([]Device, 0, len(devices)+1)
	for _, d := range devices {
		if d.Until.After(now) {
			out = append(out, d)
		}
	}
	out = append(out, Device{Hash: Hash(secret), Until: until})
	if len(out) > MaxDevices {
		out = out[len(out)-MaxDevices:]
	}
	return out
}

// Remembered reports whether secret is of a device remembered until after
// now.
func Remembered(devices []Device, secret string, now time.Time) bool {
	if secret == "" {
		return false
	}
	h := Hash(secret)
	ok := false
	for _, d := range devices {
		if subtle.ConstantTimeCompare([]byte(d.Hash), []byte(h)) == 1 && d.Until.After(now) {
			ok = true
		}
	}
	return ok
}

// QRCode is the PNG of a QR code of an otpauth:// URL, size pixels wide.
func QRCode(url string, size int) ([]byte, error) {
	if !strings.HasPrefix(url, "otpauth://totp/") {
		return nil, errors.New("not an otpauth://totp/ URL")
	}
	k, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, err
	}
	img, err := k.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
