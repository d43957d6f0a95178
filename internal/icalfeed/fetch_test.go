package icalfeed

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// feedServer serves testdata/google.ics as Google does: with an ETag and
// a Last-Modified, answering 304 to a request that names either.
func feedServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	data, err := os.ReadFile("testdata/google.ics")
	if err != nil {
		t.Fatal(err)
	}
	var full atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const etag, modified = `"v42"`, "Mon, 01 Mar 2027 07:59:59 GMT"
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == modified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("Content-Type", "text/calendar; charset=UTF-8")
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv, &full
}

func codeOf(err error) string {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

func TestFetchConditional(t *testing.T) {
	srv, full := feedServer(t)
	f := &Fetcher{}
	page, err := f.Fetch(context.Background(), srv.URL+"/calendar/ical/secret/basic.ics", Validators{}, true)
	if err != nil {
		t.Fatalf("Fetch() error = %v", err)
	}
	if page.NotModified || !strings.HasPrefix(string(page.Body), "BEGIN:VCALENDAR") {
		t.Fatalf("Fetch() = %+v, want the body", page.NotModified)
	}
	if page.Validators != (Validators{ETag: `"v42"`, LastModified: "Mon, 01 Mar 2027 07:59:59 GMT"}) {
		t.Errorf("validators = %+v", page.Validators)
	}
	for _, v := range []Validators{page.Validators, {ETag: `"v42"`}, {LastModified: page.Validators.LastModified}} {
		again, err := f.Fetch(context.Background(), srv.URL+"/calendar/ical/secret/basic.ics", v, true)
		if err != nil || !again.NotModified || again.Body != nil {
			t.Errorf("Fetch(%+v) = %+v, %v; want not modified", v, again, err)
		}
	}
	if n := full.Load(); n != 1 {
		t.Errorf("the body was sent %d times, want 1", n)
	}
	stale, err := f.Fetch(context.Background(), srv.URL+"/x.ics", Validators{ETag: `"v41"`}, true)
	if err != nil || stale.NotModified {
		t.Errorf("a stale ETag: %+v, %v; want the body", stale.NotModified, err)
	}
}

func TestFetchLimitsAndErrors(t *testing.T) {
	mux := http.NewServeMux()
	big := strings.Repeat("X", 2048)
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(big)) })
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 4 { // no Content-Length: the body is cut while read
			_, _ = w.Write([]byte(big[:600]))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &Fetcher{MaxBytes: 1024, Timeout: 300 * time.Millisecond}
	tests := []struct {
		path, code string
		status     int
	}{
		{"/big", CodeTooLarge, 0},
		{"/chunked", CodeTooLarge, 0},
		{"/slow", CodeTimeout, 0},
		{"/gone", CodeHTTPStatus, http.StatusGone},
		{"/loop", CodeRedirects, 0},
		{"/ftp", CodeRedirects, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			began := time.Now()
			_, err := f.Fetch(context.Background(), srv.URL+tt.path+"?token=s3cret", Validators{}, true)
			var fe *FetchError
			if !errors.As(err, &fe) || fe.Code != tt.code || fe.Status != tt.status {
				t.Fatalf("Fetch() error = %v, want %s %d", err, tt.code, tt.status)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), srv.URL) {
				t.Errorf("the error names the address: %v", err)
			}
			if time.Since(began) > 3*time.Second {
				t.Errorf("took %v", time.Since(began))
			}
		})
	}
	t.Run("closed port", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		_, err := f.Fetch(context.Background(), "http://"+addr+"/x.ics?token=s3cret", Validators{}, true)
		if codeOf(err) != CodeNetwork || strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Fetch() error = %v, want network without the address", err)
		}
	})
}

// TestFetchRefusesPrivateAddresses: loopback and private addresses are
// refused unless allowed, by name or number, after DNS resolution and on
// redirects.
func TestFetchRefusesPrivateAddresses(t *testing.T) {
	srv, full := feedServer(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	f := &Fetcher{}
	refused := []string{
		srv.URL + "/basic.ics",                                         // 127.0.0.1
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1),          // by name
		strings.Replace(srv.URL, "127.0.0.1", "[::ffff:127.0.0.1]", 1), // mapped IPv6
		"http://10.0.0.1/x.ics", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x.ics", "http://0.0.0.0/x",
	}
	if host, err := os.Hostname(); err == nil {
		// a name that DNS (here /etc/hosts) resolves to a loopback address
		if addrs, err := net.LookupHost(host); err == nil && len(addrs) > 0 && net.ParseIP(addrs[0]).IsLoopback() {
			refused = append(refused, "http://"+net.JoinHostPort(host, strconv.Itoa(port))+"/basic.ics")
		}
	}
	for _, u := range refused {
		if _, err := f.Fetch(context.Background(), u, Validators{}, false); codeOf(err) != CodeBlocked {
			t.Errorf("Fetch(%s) error = %v, want %s", u, err, CodeBlocked)
		}
	}
	if full.Load() != 0 {
		t.Errorf("the server was reached %d times", full.Load())
	}
	if _, err := f.Fetch(context.Background(), srv.URL+"/basic.ics", Validators{}, true); err != nil {
		t.Errorf("allowed: %v", err)
	}

	// a redirect from an address that counts as public to one that does
	// not is refused on the way
	private := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { full.Add(100) }))
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("no 127.0.0.2:", err)
	}
	private.Listener = l
	private.Start()
	defer private.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/inside", http.StatusFound)
	}))
	defer redirector.Close()
	f.public = func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.1") }
	if _, err := f.Fetch(context.Background(), redirector.URL+"/feed.ics", Validators{}, false); codeOf(err) != CodeBlocked {
		t.Errorf("redirect to 127.0.0.2: error = %v, want %s", err, CodeBlocked)
	}
	if full.Load() >= 100 {
		t.Error("the private server was reached")
	}
}

func TestPublicAddress(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.215.14", true}, {"2606:4700::6810:85e5", true}, {"8.8.8.8", true},
		{"127.0.0.1", false}, {"127.9.9.9", false}, {"::1", false}, {"10.1.2.3", false}, {"172.16.0.1", false},
		{"172.31.255.255", false}, {"192.168.1.1", false}, {"169.254.169.254", false}, {"fe80::1", false},
		{"fc00::1", false}, {"fd12:3456::1", false}, {"0.0.0.0", false}, {"::", false}, {"100.64.0.1", false},
		{"224.0.0.1", false}, {"ff02::1", false}, {"255.255.255.255", false}, {"::ffff:10.0.0.1", false},
		{"::ffff:8.8.8.8", true}, {"64:ff9b::a00:1", false}, {"64:ff9b::808:808", true}, {"2002:a00:1::", false},
		{"198.18.0.1", false}, {"192.0.2.1", false}, {"172.32.0.1", true},
	}
	for _, tt := range tests {
		if got := PublicAddress(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("PublicAddress(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://calendar.google.com/calendar/ical/a%40b/private-x/basic.ics", "https://calendar.google.com/calendar/ical/a%40b/private-x/basic.ics"},
		{"  webcal://p42-caldav.icloud.com/published/2/MTIz  ", "https://p42-caldav.icloud.com/published/2/MTIz"},
		{"WEBCALS://outlook.office365.com/owa/calendar/x/reachcalendar.ics", "https://outlook.office365.com/owa/calendar/x/reachcalendar.ics"},
		{"http://cloud.example.org/remote.php/dav/public-calendars/abc?export#frag", "http://cloud.example.org/remote.php/dav/public-calendars/abc?export"},
		{"ftp://example.org/x.ics", ""}, {"file:///etc/passwd", ""}, {"https://", ""}, {"mailto:a@b.c", ""},
		{"", ""}, {"https://example.org/" + strings.Repeat("a", 2048), ""}, {"javascript:alert(1)", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
