package mfa

import (
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret, url, err := NewKey("Tutorbase", "stella@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/Tutorbase:stella@example.com?") || !strings.Contains(url, "secret="+secret) {
		t.Fatalf("url = %s", url)
	}
	now := time.Date(2027, 3, 1, 12, 0, 10, 0, time.UTC)
	code := func(d time.Duration) string {
		c, err := Code(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	step := StepAt(now)
	tests := []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"this step", code(0), 0, step, true},
		{"with a space", code(0)[:3] + " " + code(0)[3:], 0, step, true},
		{"the step before", code(-Step), 0, step - 1, true},
		{"the step after", code(Step), 0, step + 1, true},
		{"two steps before", code(-2 * Step), 0, 0, false},
		{"used already", code(0), step, 0, false},
		{"the next after one used", code(Step), step, step + 1, true},
		{"wrong", "000000", 0, 0, false},
		{"short", "12345", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "wrong" && (code(0) == "000000" || code(-Step) == "000000" || code(Step) == "000000") {
				t.Skip("the random secret made 000000 valid")
			}
			got, ok := Verify(secret, tt.code, now, tt.lastStep)
			if ok != tt.wantOK || got != tt.wantStep {
				t.Errorf("Verify() = %d, %v; want %d, %v", got, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

// TestCodeRFC6238 checks the SHA-1 vectors of RFC 6238 appendix B (last 6
// digits of the 8-digit values).
func TestCodeRFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, tt := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := Code(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("Code(%d) = %q, %v; want %q", tt.unix, got, err, tt.want)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes, err := NewRecoveryCodes(RecoveryCodes)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
		if hashes[i] == c || MatchRecovery(hashes, c) != i {
			t.Errorf("code %d does not match its hash", i)
		}
	}
	if got := MatchRecovery(hashes, " "+strings.ToUpper(strings.ReplaceAll(codes[3], "-", ""))+" "); got != 3 {
		t.Errorf("typed loosely: %d, want 3", got)
	}
	if got := MatchRecovery(hashes, "aaaaa-aaaaa"); got != -1 {
		t.Errorf("a made-up code matched %d", got)
	}
}

func TestRememberedDevices(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	var devices []Device
	devices = Remember(devices, "old", now.Add(-time.Hour), now.Add(-31*24*time.Hour))
	devices = Remember(devices, "phone", now.Add(30*24*time.Hour), now)
	if len(devices) != 1 {
		t.Fatalf("the expired device is dropped: %v", devices)
	}
	if !Remembered(devices, "phone", now) || Remembered(devices, "phone", now.Add(31*24*time.Hour)) {
		t.Error("a device is remembered for its 30 days only")
	}
	if Remembered(devices, "laptop", now) || Remembered(devices, "", now) {
		t.Error("an unknown device is not remembered")
	}
	for i := range 12 {
		devices = Remember(devices, string(rune('a'+i)), now.Add(time.Hour), now)
	}
	if len(devices) != MaxDevices || Remembered(devices, "phone", now) || !Remembered(devices, "l", now) {
		t.Errorf("the oldest are forgotten beyond %d: %d kept", MaxDevices, len(devices))
	}
}

func TestQRCode(t *testing.T) {
	_, url, err := NewKey("Tutorbase", "stella@example.com")
	if err != nil {
		t.Fatal(err)
	}
	png, err := QRCode(url, 200)
	if err != nil || len(png) < 100 || string(png[1:4]) != "PNG" {
		t.Fatalf("QRCode: %d bytes, %v", len(png), err)
	}
	if _, err := QRCode("https://example.com", 200); err == nil {
		t.Error("not an otpauth URL: want an error")
	}
}
