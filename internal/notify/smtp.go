package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// Email is one message to one recipient. Text and HTML are alternatives
// of the same content (either may be empty, not both). Headers are extra
// headers such as "X-Tutorbase-Delivery" or "List-Unsubscribe"; the
// address, subject, date and id headers are the client's and cannot be
// set there.
type Email struct {
	To, ToName, Subject, Text, HTML string
	Headers                         map[string]string
}

// SMTPConfig is the mail server and sender, as in PocketBase's SMTP
// settings. Port 0 means 465 with TLS and 587 without. TLS is implicit TLS
// (SMTPS, usually port 465). AuthMethod is "PLAIN" (also for "") or
// "LOGIN", used only when Username is set. LocalName is the EHLO name
// (default: the machine's host name).
type SMTPConfig struct {
	Host               string
	Port               int
	Username, Password string
	TLS                bool
	LocalName          string
	From, FromName     string
	AuthMethod         string
	// ReplyTo is where replies go (empty: no Reply-To, so to From).
	ReplyTo string
}

// SMTP sends email through an SMTP server with go-mail, one connection per
// Send (deliveries are few; simplicity beats pooling).
//
// TLS policy: with Config.TLS the connection is implicit TLS from the
// first byte. Otherwise STARTTLS is opportunistic (go-mail's
// TLSOpportunistic): used when the server offers it, plain SMTP when it
// does not; except that a loopback host (localhost, 127.0.0.0/8, ::1) is
// spoken to in plain SMTP (NoTLS), since a local relay or test server
// (mailpit) rarely has a certificate for "localhost" and the traffic never
// leaves the machine. Certificates are verified (TLS 1.2 or newer), and
// PLAIN/LOGIN credentials are never sent over an unencrypted connection to
// a host that is not local: go-mail refuses to.
type SMTP struct {
	Config SMTPConfig
}

// reservedHeaders are set by Send and cannot be overridden by
// Email.Headers.
var reservedHeaders = []string{
	"Bcc", "Cc", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version",
	"Reply-To", "Sender", "Subject", "To",
}

// Send delivers m. It returns [ErrNotConfigured] without a host or sender;
// a [Permanent] error for a message that can never go (invalid recipient
// address, empty body, a 5xx answer to the sender, recipient or data); and
// a retryable error for everything else: refused or timed-out
// connections, 4xx answers, failed authentication (the settings may be
// fixed). The call is bounded by ctx and by DefaultTimeout, whichever ends
// first; cancelling ctx aborts a conversation in progress.
func (s SMTP) Send(ctx context.Context, m Email) error {
	c := s.Config
	if c.Host == "" || c.From == "" {
		return fmt.Errorf("smtp: %w", ErrNotConfigured)
	}
	msg, err := buildMessage(c, m)
	if err != nil {
		return err
	}
	timeout := DefaultTimeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(deadline))
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if timeout <= 0 {
		return fmt.Errorf("smtp: %w", context.DeadlineExceeded)
	}
	opts, err := clientOptions(c)
	if err != nil {
		return err
	}
	var stops []func() bool
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	opts = append(opts, mail.WithTimeout(timeout), mail.WithDialContextFunc(dialer(ctx, c, &stops)))
	client, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: configure client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classifySMTP(ctx, err)
	}
	return nil
}

// buildMessage turns m into a go-mail message from c's sender.
func buildMessage(c SMTPConfig, m Email) (*mail.Msg, error) {
	from, err := netmail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: invalid sender address %q: %w", c.From, err)
	}
	if c.FromName != "" {
		from.Name = c.FromName
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, Permanent(fmt.Errorf("smtp: invalid recipient address %q: %w", m.To, err))
	}
	if m.ToName != "" {
		to.Name = m.ToName
	}
	if m.Text == "" && m.HTML == "" {
		return nil, Permanent(errors.New("smtp: empty message body"))
	}

	msg := mail.NewMsg()
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	if c.ReplyTo != "" {
		if err := msg.ReplyTo(c.ReplyTo); err != nil {
			return nil, fmt.Errorf("smtp: invalid reply-to address %q: %w", c.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := textproto.CanonicalMIMEHeaderKey(k)
		if slices.Contains(reservedHeaders, name) {
			return nil, Permanent(fmt.Errorf("smtp: header %s cannot be set by the caller", name))
		}
		msg.SetGenHeader(mail.Header(name), m.Headers[k])
	}
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	case m.Text != "":
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
	default:
		msg.SetBodyString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// clientOptions are the go-mail options for c, except the timeout and
// dialer, which depend on the call.
func clientOptions(c SMTPConfig) ([]mail.Option, error) {
	port := c.Port
	if port == 0 {
		port = mail.DefaultPortTLS
		if c.TLS {
			port = mail.DefaultPortSSL
		}
	}
	opts := []mail.Option{
		mail.WithPort(port),
		mail.WithTLSConfig(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}),
		mail.WithTLSPolicy(tlsPolicy(c)),
	}
	if c.TLS {
		opts = append(opts, mail.WithSSL())
	}
	if c.LocalName != "" {
		opts = append(opts, mail.WithHELO(c.LocalName))
	}
	if c.Username != "" {
		var auth mail.SMTPAuthType
		switch strings.ToUpper(c.AuthMethod) {
		case "", "PLAIN":
			auth = mail.SMTPAuthPlain
		case "LOGIN":
			auth = mail.SMTPAuthLogin
		default:
			return nil, fmt.Errorf("smtp: unsupported auth method %q (want PLAIN or LOGIN)", c.AuthMethod)
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(c.Username), mail.WithPassword(c.Password))
	}
	return opts, nil
}

// tlsPolicy is the STARTTLS policy for c (see [SMTP]); with implicit TLS
// go-mail does not use it.
func tlsPolicy(c SMTPConfig) mail.TLSPolicy {
	switch {
	case c.TLS:
		return mail.TLSMandatory
	case isLoopback(c.Host):
		return mail.NoTLS
	default:
		return mail.TLSOpportunistic
	}
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// dialer connects to the server (through TLS for implicit TLS) and closes
// the connection when ctx ends, which go-mail alone does not do once
// dialled. The stop functions are appended to stops for Send to release.
func dialer(ctx context.Context, c SMTPConfig, stops *[]func() bool) mail.DialContextFunc {
	return func(dialCtx context.Context, network, address string) (net.Conn, error) {
		nd := &net.Dialer{}
		var conn net.Conn
		var err error
		if c.TLS {
			td := &tls.Dialer{NetDialer: nd, Config: &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}}
			conn, err = td.DialContext(dialCtx, network, address)
		} else {
			conn, err = nd.DialContext(dialCtx, network, address)
		}
		if err != nil {
			return nil, err
		}
		*stops = append(*stops, context.AfterFunc(ctx, func() { _ = conn.Close() }))
		return conn, nil
	}
}

// classifySMTP wraps a go-mail error: a 5xx answer to a message command is
// permanent, anything else (including ctx ending) is retryable.
func classifySMTP(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smtp: %w: %w", ctxErr, err)
	}
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() <= 599 {
		return Permanent(fmt.Errorf("smtp: %w", err))
	}
	return fmt.Errorf("smtp: %w", err)
}
