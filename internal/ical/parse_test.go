package ical

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// property is one unfolded content line: NAME;PARAMS:VALUE.
type property struct {
	Name   string
	Params []string
	Value  string
}

// component is a parsed BEGIN/END block.
type component struct {
	Name     string
	Props    []property
	Children []*component
}

func (c *component) get(name string) []property {
	var out []property
	for _, p := range c.Props {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

// parse reads an iCalendar object the way a strict client would: every
// physical line ends in CRLF, holds at most 75 octets of valid UTF-8, and
// continuation lines start with a space or tab; after unfolding, every line
// is NAME[;PARAM...]:VALUE and BEGIN/END nest properly.
func parse(data []byte) (*component, error) {
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		return nil, fmt.Errorf("the object does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
	var logical []string
	for i, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			return nil, fmt.Errorf("line %d: a bare CR or LF", i+1)
		}
		if len(l) > MaxLineOctets {
			return nil, fmt.Errorf("line %d: %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			return nil, fmt.Errorf("line %d: not UTF-8 (a fold split a sequence?): %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(logical) == 0 {
				return nil, fmt.Errorf("line %d: continuation of nothing", i+1)
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	var stack []*component
	var root *component
	for i, l := range logical {
		p, err := splitLine(l)
		if err != nil {
			return nil, fmt.Errorf("content line %d: %w", i+1, err)
		}
		switch p.Name {
		case "BEGIN":
			c := &component{Name: p.Value}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, c)
			} else if root != nil {
				return nil, fmt.Errorf("content line %d: a second top-level component", i+1)
			} else {
				root = c
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].Name != p.Value {
				return nil, fmt.Errorf("content line %d: END:%s does not close the open component", i+1, p.Value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				return nil, fmt.Errorf("content line %d: a property outside any component", i+1)
			}
			top := stack[len(stack)-1]
			top.Props = append(top.Props, p)
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, fmt.Errorf("unbalanced BEGIN/END")
	}
	return root, nil
}

// splitLine splits NAME;PARAM=...;PARAM="...":VALUE; a colon or semicolon
// inside a quoted parameter value does not count.
func splitLine(l string) (property, error) {
	var p property
	end := strings.IndexAny(l, ";:")
	if end <= 0 {
		return p, fmt.Errorf("no name: %q", l)
	}
	p.Name = l[:end]
	for _, r := range p.Name {
		if !(r == '-' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return p, fmt.Errorf("bad name %q", p.Name)
		}
	}
	rest := l[end:]
	for strings.HasPrefix(rest, ";") {
		rest = rest[1:]
		quoted, i := false, 0
		for ; i < len(rest); i++ {
			c := rest[i]
			if c == '"' {
				quoted = !quoted
			} else if !quoted && (c == ';' || c == ':') {
				break
			}
		}
		if i == len(rest) {
			return p, fmt.Errorf("no value: %q", l)
		}
		p.Params = append(p.Params, rest[:i])
		rest = rest[i:]
	}
	if !strings.HasPrefix(rest, ":") {
		return p, fmt.Errorf("no value: %q", l)
	}
	p.Value = rest[1:]
	return p, nil
}

// unescapeText reverses TEXT escaping and refuses what escapeText never
// writes: a bare backslash, comma or semicolon.
func unescapeText(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 == len(s) {
				return "", fmt.Errorf("a trailing backslash in %q", s)
			}
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			case '\\', ';', ',':
				b.WriteByte(s[i])
			default:
				return "", fmt.Errorf("unknown escape \\%c in %q", s[i], s)
			}
		case ',', ';':
			return "", fmt.Errorf("an unescaped %q in %q", c, s)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// check parses a written calendar and applies RFC 5545's structural rules
// for a published feed.
func check(t *testing.T, data []byte) *component {
	t.Helper()
	root, err := parse(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if root.Name != "VCALENDAR" {
		t.Fatalf("top-level component %q", root.Name)
	}
	for _, name := range []string{"VERSION", "PRODID"} {
		if n := len(root.get(name)); n != 1 {
			t.Errorf("VCALENDAR has %d %s", n, name)
		}
	}
	if v := root.get("VERSION"); len(v) == 1 && v[0].Value != "2.0" {
		t.Errorf("VERSION:%s", v[0].Value)
	}
	if len(root.Children) == 0 {
		t.Errorf("VCALENDAR without components")
	}
	for _, ev := range root.Children {
		if ev.Name != "VEVENT" {
			continue
		}
		for _, name := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if n := len(ev.get(name)); n != 1 {
				t.Errorf("VEVENT %v has %d %s", ev.get("UID"), n, name)
			}
		}
		for _, name := range []string{"DTSTAMP", "DTSTART", "DTEND", "LAST-MODIFIED"} {
			for _, p := range ev.get(name) {
				if _, err := time.Parse(timeLayout, p.Value); err != nil || len(p.Params) > 0 {
					t.Errorf("%s:%s is not a UTC DATE-TIME", name, p.Value)
				}
			}
		}
		for _, name := range []string{"UID", "SUMMARY", "DESCRIPTION", "LOCATION"} {
			for _, p := range ev.get(name) {
				if _, err := unescapeText(p.Value); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
	return root
}

func text(t *testing.T, c *component, name string) string {
	t.Helper()
	ps := c.get(name)
	if len(ps) != 1 {
		t.Fatalf("%s: %d properties", name, len(ps))
	}
	s, err := unescapeText(ps[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOutputParsesBack(t *testing.T) {
	var b bytes.Buffer
	cal := sample()
	if _, err := cal.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	root := check(t, b.Bytes())
	if got := text(t, root, "X-WR-CALNAME"); got != cal.Name {
		t.Errorf("X-WR-CALNAME = %q, want %q", got, cal.Name)
	}
	var events []*component
	for _, c := range root.Children {
		if c.Name == "VEVENT" {
			events = append(events, c)
		}
	}
	if len(events) != len(cal.Events) {
		t.Fatalf("%d VEVENTs, want %d", len(events), len(cal.Events))
	}
	for i, want := range cal.Events {
		ev := events[i]
		if got := text(t, ev, "UID"); got != want.UID {
			t.Errorf("UID = %q, want %q", got, want.UID)
		}
		if got := ev.get("DTSTART")[0].Value; got != want.Start.UTC().Format(timeLayout) {
			t.Errorf("DTSTART = %q, want %v", got, want.Start.UTC())
		}
		for name, want := range map[string]string{"SUMMARY": want.Summary, "DESCRIPTION": want.Description, "LOCATION": want.Location} {
			if want == "" {
				if n := len(ev.get(name)); n != 0 {
					t.Errorf("empty %s written", name)
				}
				continue
			}
			if got := text(t, ev, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	}
}

func TestEmptyCalendarParses(t *testing.T) {
	var b bytes.Buffer
	if _, err := (Calendar{ProdID: "-//T//T//EN"}).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	root := check(t, b.Bytes())
	if len(root.Children) != 1 || root.Children[0].Name != "VTIMEZONE" {
		t.Errorf("an empty calendar holds %d components, want the UTC VTIMEZONE", len(root.Children))
	}
}

// FuzzWriteTo writes events with arbitrary text and checks that the output
// is always well formed and that TEXT values come back as written, minus
// what TEXT cannot hold (control characters, invalid UTF-8, CR).
func FuzzWriteTo(f *testing.F) {
	f.Add("Lesson: Mathematics with Giulia Rossi", "Notes: a, b; c\\d\r\ne", "https://meet.jit.si/x")
	f.Add(strings.Repeat("é", 100), strings.Repeat("\\;", 80), "")
	f.Add(strings.Repeat("a", 73)+"🎓", "\x00\x7f\xff\n\r", "https://a.example/\r\nX:1")
	f.Fuzz(func(t *testing.T, summary, description, url string) {
		cal := Calendar{ProdID: "-//T//T//EN", Name: summary, Events: []Event{{
			UID: "fuzz@tutorbase", Start: time.Unix(1800000000, 0), Stamp: time.Unix(1790000000, 0),
			Summary: summary, Description: description, Location: description, URL: url,
		}}}
		var b bytes.Buffer
		if _, err := cal.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		root := check(t, b.Bytes())
		ev := root.Children[0]
		for name, in := range map[string]string{"SUMMARY": summary, "DESCRIPTION": description} {
			want := representable(in)
			if want == "" {
				continue
			}
			if got := text(t, ev, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if u := ev.get("URL"); len(u) == 1 && strings.ContainsAny(u[0].Value, " \t") {
			t.Errorf("URL with whitespace: %q", u[0].Value)
		}
	})
}

// representable is what a TEXT value can carry of s.
func representable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
}
