package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testSID   = "AC0123456789abcdef0123456789abcdef"
	testToken = "twilio-secret-token-5f1e"
)

// twilioSendCases are Twilio answers and what SendSMS/SendWhatsApp make
// of them.
var twilioSendCases = []struct {
	name          string
	whatsapp      bool
	to            string
	status        int
	answer        string
	wantSID       string
	wantTo        string
	wantFrom      string
	wantErr       bool
	wantPermanent bool
	wantMention   string
}{
	{name: "sms accepted", to: "+393401234567", status: 201, answer: `{"sid":"SM1a2b","status":"queued"}`,
		wantSID: "SM1a2b", wantTo: "+393401234567", wantFrom: "+15005550006"},
	{name: "whatsapp accepted", whatsapp: true, to: "+393401234567", status: 201, answer: `{"sid":"SM9z"}`,
		wantSID: "SM9z", wantTo: "whatsapp:+393401234567", wantFrom: "whatsapp:+14155238886"},
	{name: "whatsapp prefix not doubled", whatsapp: true, to: "whatsapp:+393401234567", status: 201, answer: `{"sid":"SM9y"}`,
		wantSID: "SM9y", wantTo: "whatsapp:+393401234567", wantFrom: "whatsapp:+14155238886"},
	{name: "invalid number is permanent", to: "+39000", status: 400,
		answer: `{"code":21211,"message":"The 'To' number +39000 is not a valid phone number.","status":400}`,
		wantTo: "+39000", wantFrom: "+15005550006", wantErr: true, wantPermanent: true, wantMention: "code 21211"},
	{name: "rate limited is retried", to: "+393401234567", status: 429, answer: `{"code":20429,"message":"Too Many Requests"}`,
		wantTo: "+393401234567", wantFrom: "+15005550006", wantErr: true, wantMention: "http 429"},
	{name: "server error is retried", to: "+393401234567", status: 500, answer: `oops`,
		wantTo: "+393401234567", wantFrom: "+15005550006", wantErr: true, wantMention: "http 500"},
	{name: "bad credentials are permanent", to: "+393401234567", status: 401,
		answer: `{"code":20003,"message":"Authenticate"}`, wantTo: "+393401234567", wantFrom: "+15005550006",
		wantErr: true, wantPermanent: true, wantMention: "http 401"},
}

func TestTwilioSend(t *testing.T) {
	for _, tt := range twilioSendCases {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.status, tt.answer)
			tw := Twilio{AccountSID: testSID, AuthToken: testToken, From: "+15005550006",
				WhatsAppFrom: "+14155238886", BaseURL: api.URL + "/"}
			send := tw.SendSMS
			if tt.whatsapp {
				send = tw.SendWhatsApp
			}
			sid, err := send(context.Background(), tt.to, "Reminder: lesson in 1 hour")

			req := api.only(t)
			if req.Method != http.MethodPost || req.Path != "/2010-04-01/Accounts/"+testSID+"/Messages.json" {
				t.Errorf("request = %s %s, want POST the Messages resource", req.Method, req.Path)
			}
			if !req.HasAuth || req.User != testSID || req.Pass != testToken {
				t.Errorf("basic auth = %q:%q (%v), want SID:token", req.User, req.Pass, req.HasAuth)
			}
			if got := req.Form.Get("To"); got != tt.wantTo {
				t.Errorf("To = %q, want %q", got, tt.wantTo)
			}
			if got := req.Form.Get("From"); got != tt.wantFrom {
				t.Errorf("From = %q, want %q", got, tt.wantFrom)
			}
			if got := req.Form.Get("Body"); got != "Reminder: lesson in 1 hour" {
				t.Errorf("Body = %q", got)
			}
			if (err != nil) != tt.wantErr || IsPermanent(err) != tt.wantPermanent {
				t.Fatalf("send() error = %v (permanent %v), want error %v permanent %v",
					err, IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
			if sid != tt.wantSID {
				t.Errorf("sid = %q, want %q", sid, tt.wantSID)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.wantMention) {
					t.Errorf("error %q does not mention %q", err, tt.wantMention)
				}
				if strings.Contains(err.Error(), testToken) {
					t.Errorf("error %q reveals the auth token", err)
				}
			}
		})
	}
}

func TestTwilioFailsWithoutSending(t *testing.T) {
	full := Twilio{AccountSID: testSID, AuthToken: testToken, From: "+15005550006", WhatsAppFrom: "+14155238886"}
	tests := []struct {
		name          string
		tw            Twilio
		whatsapp      bool
		to, body      string
		wantErr       error
		wantPermanent bool
	}{
		{"no sid", Twilio{AuthToken: "x", From: "+1"}, false, "+39", "hi", ErrNotConfigured, false},
		{"no sms sender", Twilio{AccountSID: "AC", AuthToken: "x", WhatsAppFrom: "+1"}, false, "+39", "hi", ErrNotConfigured, false},
		{"no whatsapp sender", Twilio{AccountSID: "AC", AuthToken: "x", From: "+1"}, true, "+39", "hi", ErrNotConfigured, false},
		{"no recipient", full, false, "", "hi", nil, true},
		{"no whatsapp recipient", full, true, "whatsapp:", "hi", nil, true},
		{"empty body", full, false, "+39", "  ", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, 201, `{"sid":"SMx"}`)
			tt.tw.BaseURL = api.URL
			send := tt.tw.SendSMS
			if tt.whatsapp {
				send = tt.tw.SendWhatsApp
			}
			_, err := send(context.Background(), tt.to, tt.body)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || IsPermanent(err) != tt.wantPermanent {
				t.Errorf("send() error = %v (permanent %v), want %v permanent %v", err, IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
			if n := api.count(); n != 0 {
				t.Errorf("sent %d requests, want none", n)
			}
		})
	}
}

func TestTwilioNetworkErrorsAreRetryable(t *testing.T) {
	tw := Twilio{AccountSID: testSID, AuthToken: testToken, From: "+15005550006", BaseURL: closedURL(t)}
	_, err := tw.SendSMS(context.Background(), "+393401234567", "hi")
	if err == nil || IsPermanent(err) {
		t.Fatalf("SendSMS() to a closed port error = %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "/Accounts/") {
		t.Errorf("error %q reveals the request URL or token", err)
	}

	// A server that never answers is cut off by the context.
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(hang) })
	tw.BaseURL = slow.URL
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	_, err = tw.SendSMS(ctx, "+393401234567", "hi")
	if !errors.Is(err, context.DeadlineExceeded) || IsPermanent(err) {
		t.Errorf("SendSMS() to a silent server error = %v, want a retryable deadline error", err)
	}
	if elapsed := time.Since(begin); elapsed > 2*time.Second {
		t.Errorf("SendSMS() took %s despite a 200ms deadline", elapsed)
	}
}
