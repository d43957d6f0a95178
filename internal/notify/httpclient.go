package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"tutorbase/internal/oneline"
)

// DefaultTimeout bounds one call to a channel's API or SMTP server when
// the caller's context has no earlier deadline.
const DefaultTimeout = 15 * time.Second

// maxResponse caps how much of an API answer is read.
const maxResponse = 64 << 10

// apiResponse is a channel API's answer.
type apiResponse struct {
	status int
	body   []byte
}

// post sends req with client (nil: a client with DefaultTimeout) and reads
// the answer. The request's context gets DefaultTimeout when it has no
// deadline. Transport errors are returned without the request URL, which
// may hold a secret (Telegram's bot token is in the path); secret, when
// not empty, is also scrubbed from what is left.
func post(client *http.Client, req *http.Request, service, secret string) (apiResponse, error) {
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	ctx := req.Context()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
		req = req.WithContext(ctx)
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return apiResponse{}, fmt.Errorf("%s: send request: %w", service, scrubbed{err, secret})
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return apiResponse{}, fmt.Errorf("%s: read response: %w", service, scrubbed{err, secret})
	}
	return apiResponse{status: resp.StatusCode, body: body}, nil
}

// statusError describes a refused call. 4xx answers other than 429 are
// [Permanent]: the request itself is wrong (a bad number, an unknown chat,
// rejected credentials) and sending it again cannot help. 429 and 5xx are
// worth retrying.
func statusError(service string, status int, detail, secret string) error {
	msg := fmt.Sprintf("%s: http %d", service, status)
	if detail = strings.TrimSpace(detail); detail != "" {
		msg += ": " + truncate(detail, 300)
	}
	err := errors.New(redact(msg, secret))
	if status >= 400 && status < 500 && status != http.StatusTooManyRequests {
		return Permanent(err)
	}
	return err
}

// scrubbed is an error whose message has a secret removed; errors.Is and
// errors.As (context.DeadlineExceeded, net.Error) still see the original.
type scrubbed struct {
	err    error
	secret string
}

func (e scrubbed) Error() string { return redact(e.err.Error(), e.secret) }
func (e scrubbed) Unwrap() error { return e.err }

// redact replaces every occurrence of secret in s.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// decodeJSON decodes body into v, ignoring unknown fields.
func decodeJSON(body []byte, v any) error {
	return json.Unmarshal(body, v)
}

// truncate shortens s to at most n runes for an error message.
func truncate(s string, n int) string {
	if cut := oneline.Truncate(s, n); cut != s {
		return cut + "…"
	}
	return s
}
