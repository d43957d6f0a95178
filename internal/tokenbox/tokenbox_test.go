package tokenbox

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	box, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, 32))
	sealed := box.Seal("1//refresh-token", "u1/refresh")
	if strings.Contains(sealed, "refresh-token") || !strings.HasPrefix(sealed, "v1.") {
		t.Fatalf("sealed value shows the secret: %q", sealed)
	}
	if again := box.Seal("1//refresh-token", "u1/refresh"); again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	tests := []struct {
		name    string
		box     *Box
		sealed  string
		purpose string
		want    string
		wantErr bool
	}{
		{name: "round trip", box: box, sealed: sealed, purpose: "u1/refresh", want: "1//refresh-token"},
		{name: "empty", box: box, sealed: "", purpose: "u1/refresh", want: ""},
		{name: "another record", box: box, sealed: sealed, purpose: "u2/refresh", wantErr: true},
		{name: "another key", box: other, sealed: sealed, purpose: "u1/refresh", wantErr: true},
		{name: "altered", box: box, sealed: sealed[:len(sealed)-2] + "AA", purpose: "u1/refresh", wantErr: true},
		{name: "plain text", box: box, sealed: "1//refresh-token", purpose: "u1/refresh", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed, tt.purpose)
			if tt.wantErr {
				if !errors.Is(err, ErrOpen) {
					t.Fatalf("got %q, %v; want ErrOpen", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("want a short key refused")
	}
}
