// Package useragent names the device and browser of a User-Agent header and
// the network of an IP address, the way a person recognises their own
// sign-ins ("Chrome on a Mac, 203.0.113.0/24"). It is deliberately coarse:
// the list of sessions and the sign-in alerts need a name a person knows,
// not a fingerprint.
package useragent

import (
	"net/netip"
	"strings"
)

// Agent is what a User-Agent header says in a person's words.
type Agent struct {
	Device  string // "iPhone", "Android phone", "Mac", "Windows computer", ...
	Browser string // "Chrome", "Firefox", "Safari", "Edge", ...
}

// Unknown names what a header does not tell.
const Unknown = "Unknown"

// devices are tested in order: the first whose every marker is in the
// header names the device (iPad before Mac: iPadOS claims to be a Mac only
// in desktop mode, which is not told apart).
var devices = []struct {
	name    string
	markers []string
}{
	{"iPhone", []string{"iphone"}},
	{"iPad", []string{"ipad"}},
	{"Android tablet", []string{"android"}}, // refined below: "mobile" makes it a phone
	{"Chromebook", []string{"cros"}},
	{"Mac", []string{"macintosh"}},
	{"Windows computer", []string{"windows"}},
	{"Linux computer", []string{"linux"}},
}

// browsers are tested in order: Edge and Opera say "Chrome" too, and
// Chrome says "Safari".
var browsers = []struct{ name, marker string }{
	{"Edge", "edg/"},
	{"Opera", "opr/"},
	{"Samsung Internet", "samsungbrowser/"},
	{"Firefox", "firefox/"},
	{"Firefox", "fxios/"},
	{"Chrome", "crios/"},
	{"Chrome", "chrome/"},
	{"Safari", "safari/"},
}

// Parse names the device and browser of a User-Agent header; what it does
// not recognise is Unknown.
func Parse(header string) Agent {
	ua := strings.ToLower(header)
	a := Agent{Device: Unknown, Browser: Unknown}
	for _, d := range devices {
		if containsAll(ua, d.markers) {
			a.Device = d.name
			break
		}
	}
	if a.Device == "Android tablet" && strings.Contains(ua, "mobile") {
		a.Device = "Android phone"
	}
	for _, b := range browsers {
		if strings.Contains(ua, b.marker) {
			a.Browser = b.name
			break
		}
	}
	return a
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Network is the network an address belongs to, as a prefix: the /24 of an
// IPv4 address, the /48 of an IPv6 one (a household or an office keeps its
// prefix while its last bits change). An address that does not parse is
// returned as it is, trimmed.
func Network(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return strings.TrimSpace(ip)
	}
	addr = addr.Unmap()
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return addr.String()
	}
	return p.String()
}
