package notify

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DefaultTwilioBaseURL is Twilio's REST API, used when Twilio.BaseURL is
// empty.
const DefaultTwilioBaseURL = "https://api.twilio.com"

// Twilio sends SMS and WhatsApp messages through Twilio's Messages API.
// From is the SMS sender and WhatsAppFrom the WhatsApp sender, both E.164
// numbers without the "whatsapp:" prefix. BaseURL points tests at a fake
// (TWILIO_API_BASE). Client nil means a fresh client with DefaultTimeout.
type Twilio struct {
	AccountSID, AuthToken, From, WhatsAppFrom, BaseURL string
	Client                                             *http.Client
}

// SendSMS sends body to the E.164 number to and returns the message SID.
// It returns [ErrNotConfigured] without credentials or a sender, a
// [Permanent] error for a 4xx answer other than 429 (an invalid number is
// Twilio's 400 with code 21211), and a retryable error otherwise.
func (t Twilio) SendSMS(ctx context.Context, to, body string) (sid string, err error) {
	if t.AccountSID == "" || t.AuthToken == "" || t.From == "" {
		return "", fmt.Errorf("twilio sms: %w", ErrNotConfigured)
	}
	return t.send(ctx, "twilio sms", t.From, to, body)
}

// SendWhatsApp is [Twilio.SendSMS] over WhatsApp: the sender is
// WhatsAppFrom, and both numbers get Twilio's "whatsapp:" prefix (a to
// that already has it is accepted).
func (t Twilio) SendWhatsApp(ctx context.Context, to, body string) (sid string, err error) {
	if t.AccountSID == "" || t.AuthToken == "" || t.WhatsAppFrom == "" {
		return "", fmt.Errorf("twilio whatsapp: %w", ErrNotConfigured)
	}
	const prefix = "whatsapp:"
	if to = strings.TrimPrefix(to, prefix); to != "" {
		to = prefix + to
	}
	return t.send(ctx, "twilio whatsapp", prefix+strings.TrimPrefix(t.WhatsAppFrom, prefix), to, body)
}

// send posts one message to the Messages API.
func (t Twilio) send(ctx context.Context, service, from, to, body string) (string, error) {
	if to == "" {
		return "", Permanent(fmt.Errorf("%s: no recipient number", service))
	}
	if strings.TrimSpace(body) == "" {
		return "", Permanent(fmt.Errorf("%s: empty message", service))
	}
	base := strings.TrimRight(t.BaseURL, "/")
	if base == "" {
		base = DefaultTwilioBaseURL
	}
	endpoint := base + "/2010-04-01/Accounts/" + url.PathEscape(t.AccountSID) + "/Messages.json"
	form := url.Values{"To": {to}, "From": {from}, "Body": {body}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("%s: build request: %w", service, scrubbed{err, t.AuthToken})
	}
	req.SetBasicAuth(t.AccountSID, t.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")

	resp, err := post(t.Client, req, service, t.AuthToken)
	if err != nil {
		return "", err
	}
	var answer struct {
		SID     string `json:"sid"`
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	decodeErr := decodeJSON(resp.body, &answer)
	if resp.status < 200 || resp.status > 299 {
		detail := answer.Message
		if decodeErr == nil && answer.Code != 0 {
			detail = fmt.Sprintf("code %d: %s", answer.Code, answer.Message)
		}
		return "", statusError(service, resp.status, detail, t.AuthToken)
	}
	// Accepted: the message is on its way even if the answer is odd, so a
	// missing SID is not an error (retrying would send it twice).
	return answer.SID, nil
}
