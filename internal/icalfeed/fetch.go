package icalfeed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"
)

// Default limits of a fetch.
const (
	// DefaultMaxBytes bounds a feed's body (after decompression): a
	// Google calendar holds every event ever, several megabytes for a
	// busy person.
	DefaultMaxBytes = 10 << 20
	// DefaultTimeout bounds a whole fetch: connecting, every redirect and
	// reading the body.
	DefaultTimeout = 20 * time.Second
	// maxRedirects bounds the redirects followed.
	maxRedirects = 5
)

// Fetcher downloads feeds. The zero value uses the default limits; its
// fields are read on every Fetch.
type Fetcher struct {
	MaxBytes int64         // 0: DefaultMaxBytes
	Timeout  time.Duration // 0: DefaultTimeout

	// public replaces PublicAddress in tests, which need an address of
	// their loopback servers to count as public.
	public func(netip.Addr) bool
}

func (f *Fetcher) isPublic(a netip.Addr) bool {
	if f.public != nil {
		return f.public(a)
	}
	return PublicAddress(a)
}

// Validators are what a server said identifies the copy last read: sent
// back as If-None-Match and If-Modified-Since.
type Validators struct {
	ETag, LastModified string
}

// Page is one answer: a body (200), or NotModified (304) when the copy
// named by the Validators sent is still current.
type Page struct {
	Body        []byte
	NotModified bool
	Validators  Validators
}

// FetchError is a fetch that failed, by Code (one of the Code constants);
// Status is the HTTP status of a CodeHTTPStatus. Its message never holds
// the address, which is a secret.
type FetchError struct {
	Code   string
	Status int
	err    error
}

func (e *FetchError) Error() string {
	if e.Code == CodeHTTPStatus {
		return "feed fetch failed: HTTP " + strconv.Itoa(e.Status)
	}
	if e.err != nil {
		return "feed fetch failed: " + e.Code + ": " + e.err.Error()
	}
	return "feed fetch failed: " + e.Code
}

func (e *FetchError) Unwrap() error { return e.err }

// Fetch GETs the feed at a NormalizeURL-ed address, conditionally on v.
// Private, loopback and link-local addresses are refused (after DNS, on
// every connection) unless allowPrivate. Every failure is a *FetchError.
func (f *Fetcher) Fetch(ctx context.Context, address string, v Validators, allowPrivate bool) (Page, error) {
	if err := checkHost(address, allowPrivate, f.isPublic); err != nil {
		return Page{}, classify(err)
	}
	ctx, cancel := context.WithTimeout(ctx, cmpOr(f.Timeout, DefaultTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return Page{}, &FetchError{Code: CodeBadURL}
	}
	req.Header.Set("User-Agent", "Tutorbase calendar sync (busy times)")
	req.Header.Set("Accept", "text/calendar, text/plain;q=0.5, */*;q=0.1")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	res, err := f.client(allowPrivate).Do(req)
	if err != nil {
		return Page{}, classify(err)
	}
	defer res.Body.Close()
	got := Validators{ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	switch {
	case res.StatusCode == http.StatusNotModified && (v.ETag != "" || v.LastModified != ""):
		return Page{NotModified: true, Validators: v}, nil
	case res.StatusCode != http.StatusOK:
		return Page{}, &FetchError{Code: CodeHTTPStatus, Status: res.StatusCode}
	}
	limit := cmpOr(f.MaxBytes, DefaultMaxBytes)
	if res.ContentLength > limit {
		return Page{}, &FetchError{Code: CodeTooLarge}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return Page{}, classify(err)
	}
	if int64(len(body)) > limit {
		return Page{}, &FetchError{Code: CodeTooLarge}
	}
	return Page{Body: body, Validators: got}, nil
}

// client is an HTTP client whose every connection passes dialGuard, with
// no proxy (a proxy would be the address checked), following at most
// maxRedirects redirects to http or https.
func (f *Fetcher) client(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: dialGuard(allowPrivate, f.isPublic)}
	rt := &http.Transport{
		Proxy: nil, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 15 * time.Second,
		MaxResponseHeaderBytes: 64 << 10, DisableKeepAlives: true,
	}
	return &http.Client{Transport: rt, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errTooManyRedirects
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return errBadRedirect
		}
		return checkHost(req.URL.String(), allowPrivate, f.isPublic)
	}}
}

var (
	errTooManyRedirects = errors.New("too many redirects")
	errBadRedirect      = errors.New("redirect to another scheme")
)

// classify maps a client error to a FetchError, dropping url.Error's
// wrapping, whose message holds the address.
func classify(err error) *FetchError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return &FetchError{Code: CodeBlocked, err: ErrBlockedAddress}
	case errors.Is(err, errTooManyRedirects), errors.Is(err, errBadRedirect):
		return &FetchError{Code: CodeRedirects, err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &FetchError{Code: CodeTimeout}
	}
	return &FetchError{Code: CodeNetwork, err: errors.New(redact(err))}
}

// redact keeps the kind of a network error without any address in it.
func redact(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) {
		cause := oe.Err
		if u := errors.Unwrap(cause); u != nil {
			cause = u
		}
		return fmt.Sprintf("%s: %v", oe.Op, cause)
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		if de.IsNotFound {
			return "no such host"
		}
		return "name resolution failed"
	}
	return fmt.Sprintf("%T", err)
}

func cmpOr[T int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
