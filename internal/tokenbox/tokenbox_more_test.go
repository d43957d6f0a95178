package tokenbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

// TestSealEmpty: an absent token stays absent, it is not sealed into a value
// that a later Open would return as a token.
func TestSealEmpty(t *testing.T) {
	box, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if got := box.Seal("", "u1/refresh"); got != "" {
		t.Fatalf("Seal(\"\") = %q, want \"\"", got)
	}
}

// TestOpenMalformed: values that are not a sealed token (a truncated copy,
// a value shorter than the nonce, a prefix alone, base64 of another
// alphabet) are refused with ErrOpen instead of panicking or returning
// garbage.
func TestOpenMalformed(t *testing.T) {
	box, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal("1//refresh-token", "u1/refresh")
	tests := []struct {
		name   string
		sealed string
	}{
		{name: "prefix only", sealed: "v1."},
		{name: "shorter than the nonce", sealed: "v1." + base64.RawURLEncoding.EncodeToString([]byte("short"))},
		{name: "not base64url", sealed: "v1.+/+/==="},
		{name: "truncated", sealed: sealed[:len(sealed)/2]},
		{name: "shorter than the prefix", sealed: "v1"},
		{name: "another version", sealed: "v2." + sealed[len("v1."):]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := box.Open(tt.sealed, "u1/refresh")
			if !errors.Is(err, ErrOpen) || got != "" {
				t.Fatalf("Open(%q) = %q, %v; want ErrOpen", tt.sealed, got, err)
			}
		})
	}
}

// TestNewKeySizes: only a 32-byte key (AES-256) is taken; AES-128 and
// AES-192 keys, which aes.NewCipher would accept, are refused too.
func TestNewKeySizes(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if box, err := New(make([]byte, n)); err == nil || box != nil {
			t.Errorf("New(%d bytes) = %v, %v; want an error", n, box, err)
		}
	}
}
