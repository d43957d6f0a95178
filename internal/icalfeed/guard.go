package icalfeed

import (
	"errors"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrBlockedAddress: the feed's host is, or resolves to, an address on a
// private, loopback or link-local network (or another range that is not
// the public internet), and such addresses are not allowed.
var ErrBlockedAddress = errors.New("address not allowed")

// nonPublic are the ranges besides netip's own predicates (loopback,
// private, link-local, multicast, unspecified) that are not public
// unicast: this network, shared address space (carrier NAT), IETF
// protocol assignments, documentation, benchmarking, reserved and
// broadcast, the IPv6 documentation prefix, discard-only and ORCHIDv2.
var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
		"2001:db8::/32", "100::/64", "2001:20::/28", "::/96",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// embedsIPv4 are IPv6 prefixes that carry an IPv4 address (NAT64, 6to4):
// the embedded address is checked too.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
)

// PublicAddress reports whether a is a public unicast address: what a
// feed may be fetched from unless private addresses are allowed.
func PublicAddress(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	if a.Is6() {
		b := a.As16()
		switch {
		case nat64.Contains(a):
			return PublicAddress(netip.AddrFrom4([4]byte(b[12:16])))
		case sixTo4.Contains(a):
			return PublicAddress(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	return true
}

// dialGuard is a net.Dialer Control function: it runs after DNS
// resolution, for every address tried, on every connection (redirects
// included), and refuses one that is not public unless allowed.
func dialGuard(allowPrivate bool, public func(netip.Addr) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !public(ap.Addr()) {
			return ErrBlockedAddress
		}
		return nil
	}
}

// Codes of a feed address that cannot be used (CheckURL), and of a fetch
// that failed (FetchError.Code).
const (
	CodeBadURL      = "bad_url"
	CodeBlocked     = "blocked_address"
	CodeHTTPStatus  = "http_status"
	CodeTimeout     = "timeout"
	CodeTooLarge    = "too_large"
	CodeRedirects   = "too_many_redirects"
	CodeNetwork     = "network"
	CodeUnparsable  = "unparsable"
	CodeTooManyBusy = "too_many_events"
)

// NormalizeURL checks a feed address and returns it in the form fetched:
// webcal:// and webcals:// (which Apple and Outlook hand out) become
// https://; only http and https with a host are accepted, at most 2,048
// characters, without a fragment. The error's message never holds the
// address.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > 2048 || raw == "" {
		return "", errors.New(CodeBadURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New(CodeBadURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "webcal", "webcals", "https":
		u.Scheme = "https"
	case "http":
		u.Scheme = "http"
	default:
		return "", errors.New(CodeBadURL)
	}
	if u.Hostname() == "" || u.Opaque != "" {
		return "", errors.New(CodeBadURL)
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// CheckHost refuses, before any fetch, a feed address whose host is
// literally not public: an IP address out of the public ranges, or
// localhost. Other names are checked on every connection after DNS
// resolution (Fetch).
func CheckHost(normalized string, allowPrivate bool) error {
	return checkHost(normalized, allowPrivate, PublicAddress)
}

func checkHost(normalized string, allowPrivate bool, public func(netip.Addr) bool) error {
	if allowPrivate {
		return nil
	}
	u, err := url.Parse(normalized)
	if err != nil {
		return errors.New(CodeBadURL)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return ErrBlockedAddress
	}
	if a, err := netip.ParseAddr(host); err == nil && !public(a) {
		return ErrBlockedAddress
	}
	return nil
}
