package contact

import (
	"regexp"
	"testing"
)

func TestNewCode(t *testing.T) {
	re := regexp.MustCompile(`^[0-9]{6}$`)
	seen := map[string]bool{}
	for range 200 {
		c, err := NewCode()
		if err != nil || !re.MatchString(c) {
			t.Fatalf("NewCode() = %q, %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Errorf("only %d distinct codes in 200", len(seen))
	}
}

func TestNewToken(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9]{32}$`)
	a, b := NewToken(), NewToken()
	if !re.MatchString(a) || a == b {
		t.Errorf("NewToken() = %q, %q", a, b)
	}
}

func TestHashMatches(t *testing.T) {
	h := Hash("user1", "123456")
	if !Matches(h, "user1", "123456") {
		t.Error("the code does not match its own hash")
	}
	for _, c := range []struct{ salt, secret string }{{"user1", "123457"}, {"user2", "123456"}, {"user1", ""}} {
		if Matches(h, c.salt, c.secret) {
			t.Errorf("%+v matches", c)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{"123 456": "123456", " 12-34-56\n": "123456", "abc": ""} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStartToken(t *testing.T) {
	tests := []struct {
		text, want string
		ok         bool
	}{
		{"/start abc123", "abc123", true},
		{"/start@SchoolBot abc123", "abc123", true},
		{"  /start  abc123 ", "abc123", true},
		{"/start", "", false},
		{"/starting abc", "", false},
		{"hello", "", false},
		{"/start a b", "", false},
	}
	for _, tt := range tests {
		got, ok := StartToken(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("StartToken(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTexts(t *testing.T) {
	if got := CodeText("it", "Scuola", "123456"); got != "Scuola: il tuo codice di conferma è 123456. Scade tra 10 minuti." {
		t.Error(got)
	}
	if got := CodeText("en", "School", "123456"); got != "School: your confirmation code is 123456. It expires in 10 minutes." {
		t.Error(got)
	}
}
