package password

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicyCheck(t *testing.T) {
	tests := []struct {
		name     string
		policy   Policy // zero means DefaultPolicy()
		pw       string
		email    string
		mfa      bool
		wantCode string // "" means accepted
		wantMsg  string
	}{
		{name: "empty password", pw: "", wantCode: CodeTooShort, wantMsg: "Use at least 15 characters."},
		{name: "14 runes too short", pw: "lamp tiger oak", wantCode: CodeTooShort, wantMsg: "Use at least 15 characters."},
		{name: "15 runes accepted", pw: "lamp tiger oaks"},
		{name: "8 runes too short without mfa", pw: "lamp oak", wantCode: CodeTooShort, wantMsg: "Use at least 15 characters."},
		{name: "8 runes accepted with mfa", pw: "lamp oak", mfa: true},
		{name: "7 runes too short with mfa", pw: "lamp oa", mfa: true, wantCode: CodeTooShort, wantMsg: "Use at least 8 characters."},
		{name: "128 runes accepted", pw: strings.Repeat("abcd", 32)},
		{name: "129 runes too long", pw: strings.Repeat("abcd", 32) + "e", wantCode: CodeTooLong, wantMsg: "Use at most 128 characters."},
		{name: "15 two-byte runes accepted", pw: strings.Repeat("é", 15)},
		{name: "14 three-byte runes too short", pw: strings.Repeat("語", 14), wantCode: CodeTooShort, wantMsg: "Use at least 15 characters."},
		{name: "128 three-byte runes accepted", pw: strings.Repeat("語", 128)},
		{name: "129 three-byte runes too long", pw: strings.Repeat("語", 129), wantCode: CodeTooLong, wantMsg: "Use at most 128 characters."},
		{name: "spaces allowed", pw: "correct horse battery staple"},
		{name: "common password in mixed case", pw: "PasswordPassword", wantCode: CodeCommon, wantMsg: "This password is too common; choose another."},
		{name: "common keyboard walk", pw: "1qaz2wsx3edc4rfv", wantCode: CodeCommon, wantMsg: "This password is too common; choose another."},
		{name: "common password with mfa", pw: "Sunshine", mfa: true, wantCode: CodeCommon, wantMsg: "This password is too common; choose another."},
		{name: "too short wins over common", pw: "password", wantCode: CodeTooShort, wantMsg: "Use at least 15 characters."},
		{name: "common wins over contains email", pw: "password1", email: "password@example.org", mfa: true, wantCode: CodeCommon, wantMsg: "This password is too common; choose another."},
		{name: "contains email local part", pw: "my jane.doe tutor key", email: "jane.doe@example.org", wantCode: CodeContainsEmail, wantMsg: "Don't use your email address in your password."},
		{name: "contains email local part ignoring case", pw: "MY JANE.DOE TUTOR KEY", email: "Jane.Doe@Example.org", wantCode: CodeContainsEmail, wantMsg: "Don't use your email address in your password."},
		{name: "contains plus-address base", pw: "jane.doe teaches maths", email: "jane.doe+tutor@example.org", wantCode: CodeContainsEmail, wantMsg: "Don't use your email address in your password."},
		{name: "4-rune local part checked", pw: "ZOËY loves long walks", email: "zoëy@example.org", wantCode: CodeContainsEmail, wantMsg: "Don't use your email address in your password."},
		{name: "3-rune local part ignored", pw: "annabel lee sings", email: "ann@example.org"},
		{name: "3-rune multibyte local part ignored", pw: "zoë loves long walks", email: "zoë@example.org"},
		{name: "short plus-address base ignored", pw: "annabel lee sings", email: "ann+tutor@example.org"},
		{name: "empty email skips the rule", pw: "lamp tiger oaks", email: ""},
		{name: "custom minimum", policy: Policy{MinLength: 10}, pw: "lamp tiger"},
		{name: "custom maximum", policy: Policy{MaxLength: 16}, pw: "lamp tiger oak ok", wantCode: CodeTooLong, wantMsg: "Use at most 16 characters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy := tt.policy
			if policy == (Policy{}) {
				policy = DefaultPolicy()
			}
			err := policy.Check(tt.pw, tt.email, tt.mfa)
			if tt.wantCode == "" {
				assert.NoError(t, err)
				return
			}
			var got *Error
			require.True(t, errors.As(err, &got), "want *Error, got %T (%v)", err, err)
			assert.Equal(t, tt.wantCode, got.Code)
			assert.Equal(t, tt.wantMsg, got.Message)
			assert.Equal(t, tt.wantMsg, err.Error())
			if len(tt.pw) >= 4 {
				assert.NotContains(t, strings.ToLower(got.Message), strings.ToLower(tt.pw), "message echoes the password")
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	got := DefaultPolicy()
	want := Policy{MinLength: 15, MinLengthMFA: 8, MaxLength: 128}
	assert.Equal(t, want, got)
}

func TestZeroPolicyUsesDefaults(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		mfa  bool
	}{
		{name: "14 runes", pw: "lamp tiger oak"},
		{name: "15 runes", pw: "lamp tiger oaks"},
		{name: "7 runes with mfa", pw: "lamp oa", mfa: true},
		{name: "8 runes with mfa", pw: "lamp oak", mfa: true},
		{name: "129 runes", pw: strings.Repeat("abcd", 32) + "e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Policy{}.Check(tt.pw, "", tt.mfa)
			want := DefaultPolicy().Check(tt.pw, "", tt.mfa)
			assert.Equal(t, want, got)
		})
	}
}
