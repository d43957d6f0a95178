// Package tokenbox seals secrets stored in the database (Google refresh
// and access tokens) with AES-256-GCM under a key from the environment, so
// a copy of the database or of a backup does not give them away.
package tokenbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
)

// prefix marks a sealed value and the scheme's version.
const prefix = "v1."

// ErrOpen: the value was not sealed with this key, or was altered.
var ErrOpen = errors.New("tokenbox: cannot open the sealed value")

// Box seals and opens values with one key.
type Box struct{ aead cipher.AEAD }

// New returns the box of a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, errors.New("tokenbox: the key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain with a fresh nonce; purpose (the record and field
// it belongs to) is authenticated, so a sealed value copied into another
// record does not open there. "" seals to "".
func (b *Box) Seal(plain, purpose string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand never fails on supported platforms
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(purpose))
	return prefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value of Seal with the same purpose.
func (b *Box) Open(sealed, purpose string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if len(sealed) < len(prefix) || sealed[:len(prefix)] != prefix {
		return "", ErrOpen
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed[len(prefix):])
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", ErrOpen
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
