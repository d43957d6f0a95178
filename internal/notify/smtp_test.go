package notify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tutorbase/internal/config"
	"tutorbase/testkit/mailpittest"

	"github.com/wneessen/go-mail"
)

// mailpitSMTP starts mailpit and returns it with an SMTP client for it.
func mailpitSMTP(t *testing.T) (*mailpittest.Server, SMTP) {
	t.Helper()
	mp := mailpittest.Start(t, config.RequireTestTools())
	return mp, SMTP{Config: SMTPConfig{
		Host: mp.SMTPHost, Port: mp.SMTPPort, LocalName: "tutorbase.test",
		From: "lessons@school.example", FromName: "Scuola Città",
	}}
}

func TestSMTPSendThroughMailpit(t *testing.T) {
	mp, client := mailpitSMTP(t)
	ev := fullEvent(KindReminder)
	msg, err := Render(ev, Recipient{Name: "Luca Rossi", Locale: "it", Location: mustLoc(t, "Europe/Rome")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		auth     func(*SMTPConfig)
		wantUser string
	}{
		{"no auth", func(*SMTPConfig) {}, ""},
		{"plain auth", func(c *SMTPConfig) { c.Username, c.Password = "tutorbase", "s3cret" }, "tutorbase"},
		{"login auth", func(c *SMTPConfig) { c.Username, c.Password, c.AuthMethod = "school", "pw", "login" }, "school"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := mp.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			c := client
			tt.auth(&c.Config)
			err := c.Send(ctx, Email{
				To: "luca@example.com", ToName: "Luca Rossi", Subject: msg.Title, Text: msg.Text, HTML: msg.HTML,
				Headers: map[string]string{"X-Tutorbase-Delivery": "d123"},
			})
			if err != nil {
				t.Fatalf("Send() error = %v\nmailpit: %s", err, mp.Output())
			}
			list, err := mp.WaitMessages(ctx, 1)
			if err != nil || len(list) != 1 {
				t.Fatalf("mailpit has %d messages (%v), want 1", len(list), err)
			}
			checkReceived(ctx, t, mp, list[0].ID, msg.Title, tt.wantUser)
		})
	}
}

// checkReceived asserts what mailpit stored for the reminder sent above.
func checkReceived(ctx context.Context, t *testing.T, mp *mailpittest.Server, id, subject, user string) {
	t.Helper()
	got, err := mp.Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != subject {
		t.Errorf("Subject = %q, want %q", got.Subject, subject)
	}
	if len(got.To) != 1 || got.To[0].Address != "luca@example.com" || got.To[0].Name != "Luca Rossi" {
		t.Errorf("To = %+v, want Luca Rossi <luca@example.com>", got.To)
	}
	if got.From == nil || got.From.Address != "lessons@school.example" || got.From.Name != "Scuola Città" {
		t.Errorf("From = %+v, want Scuola Città <lessons@school.example>", got.From)
	}
	if got.Username != user {
		t.Errorf("authenticated as %q, want %q", got.Username, user)
	}
	if !strings.Contains(got.Text, testJoin) || !strings.Contains(got.Text, "tra 1 ora") {
		t.Errorf("Text lacks the join link or the reminder offset:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, testJoin) {
		t.Errorf("HTML lacks the join link:\n%s", got.HTML)
	}
	headers, err := mp.Headers(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h := headers["X-Tutorbase-Delivery"]; len(h) != 1 || h[0] != "d123" {
		t.Errorf("X-Tutorbase-Delivery = %v, want [d123]", h)
	}
}

func TestSMTPServerRefusals(t *testing.T) {
	mp, client := mailpitSMTP(t)
	tests := []struct {
		name          string
		chaos         mailpittest.Chaos
		wantPermanent bool
		wantCode      int
	}{
		{"mailbox unavailable is permanent", mailpittest.Chaos{Recipient: mailpittest.Trigger{ErrorCode: 550, Probability: 100}}, true, 550},
		{"greylisting is retried", mailpittest.Chaos{Recipient: mailpittest.Trigger{ErrorCode: 451, Probability: 100}}, false, 451},
		{"sender refused permanently", mailpittest.Chaos{Sender: mailpittest.Trigger{ErrorCode: 553, Probability: 100}}, true, 553},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := mp.SetChaos(ctx, tt.chaos); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = mp.SetChaos(context.Background(), mailpittest.Chaos{}) })
			err := client.Send(ctx, Email{To: "luca@example.com", Subject: "x", Text: "y"})
			if err == nil {
				t.Fatal("Send() succeeded, want a refusal")
			}
			if IsPermanent(err) != tt.wantPermanent {
				t.Errorf("Send() error = %v, permanent %v, want %v", err, IsPermanent(err), tt.wantPermanent)
			}
			var se *mail.SendError
			if !errors.As(err, &se) || se.ErrorCode() != tt.wantCode {
				t.Errorf("Send() error = %v, want SMTP code %d", err, tt.wantCode)
			}
		})
	}
}

func TestSMTPUnreachableServerIsRetryable(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().(*net.TCPAddr)
	closed.Close()

	// A server that accepts the connection and never greets.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	silentAddr := silent.Addr().(*net.TCPAddr)

	tests := []struct {
		name string
		port int
	}{
		{"closed port", closedAddr.Port},
		{"silent server", silentAddr.Port},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := SMTP{Config: SMTPConfig{Host: "127.0.0.1", Port: tt.port, From: "a@school.example",
				Username: "u", Password: "smtp-password-9d"}}
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			begin := time.Now()
			err := c.Send(ctx, Email{To: "luca@example.com", Subject: "x", Text: "y"})
			if err == nil || IsPermanent(err) {
				t.Fatalf("Send() error = %v, want a retryable error", err)
			}
			if elapsed := time.Since(begin); elapsed > 2*time.Second {
				t.Errorf("Send() took %s despite a 300ms deadline", elapsed)
			}
			if strings.Contains(err.Error(), "smtp-password-9d") {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestSMTPFailsBeforeConnecting(t *testing.T) {
	// Port 1 on loopback is closed: any attempt to connect would fail with
	// a retryable error instead of the one each case wants.
	ok := SMTPConfig{Host: "127.0.0.1", Port: 1, From: "a@school.example"}
	tests := []struct {
		name          string
		cfg           SMTPConfig
		email         Email
		wantErr       error
		wantPermanent bool
		wantMention   string
	}{
		{"no host", SMTPConfig{From: "a@b.c"}, Email{To: "x@y.z", Text: "t"}, ErrNotConfigured, false, ""},
		{"no sender", SMTPConfig{Host: "mail.example"}, Email{To: "x@y.z", Text: "t"}, ErrNotConfigured, false, ""},
		{"bad recipient", ok, Email{To: "not an address", Text: "t"}, nil, true, "recipient"},
		{"empty body", ok, Email{To: "x@y.z"}, nil, true, "empty"},
		{"reserved header", ok, Email{To: "x@y.z", Text: "t", Headers: map[string]string{"bcc": "spy@evil.example"}},
			nil, true, "Bcc"},
		{"bad sender", SMTPConfig{Host: "127.0.0.1", Port: 1, From: "nobody"}, Email{To: "x@y.z", Text: "t"},
			nil, false, "sender"},
		{"bad auth method", SMTPConfig{Host: "127.0.0.1", Port: 1, From: "a@b.c", Username: "u", AuthMethod: "CRAM-MD5"},
			Email{To: "x@y.z", Text: "t"}, nil, false, "auth method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := SMTP{Config: tt.cfg}.Send(context.Background(), tt.email)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || IsPermanent(err) != tt.wantPermanent {
				t.Fatalf("Send() error = %v (permanent %v), want %v permanent %v", err, IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
			if !strings.Contains(err.Error(), tt.wantMention) || strings.Contains(err.Error(), "connect") {
				t.Errorf("Send() error = %q, want one mentioning %q and not a connection", err, tt.wantMention)
			}
		})
	}
}

func TestSMTPTLSPolicy(t *testing.T) {
	tests := []struct {
		name string
		cfg  SMTPConfig
		want mail.TLSPolicy
	}{
		{"remote server: opportunistic STARTTLS", SMTPConfig{Host: "smtp.example.com"}, mail.TLSOpportunistic},
		{"implicit TLS", SMTPConfig{Host: "smtp.example.com", TLS: true}, mail.TLSMandatory},
		{"localhost: plain", SMTPConfig{Host: "localhost"}, mail.NoTLS},
		{"127.0.0.1: plain", SMTPConfig{Host: "127.0.0.1"}, mail.NoTLS},
		{"::1: plain", SMTPConfig{Host: "::1"}, mail.NoTLS},
		{"private address is not loopback", SMTPConfig{Host: "10.0.0.5"}, mail.TLSOpportunistic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tlsPolicy(tt.cfg); got != tt.want {
				t.Errorf("tlsPolicy() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSMTPImplicitTLSVerifiesTheCertificate(t *testing.T) {
	// A TLS server with a self-signed certificate: with TLS set the client
	// must speak TLS from the first byte and refuse the unknown certificate.
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.StartTLS()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().(*net.TCPAddr)
	c := SMTP{Config: SMTPConfig{Host: "127.0.0.1", Port: addr.Port, TLS: true, From: "a@school.example"}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.Send(ctx, Email{To: "luca@example.com", Subject: "x", Text: "y"})
	if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Send() error = %v, want a retryable certificate error", err)
	}
}
