package main

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestReadmeRealSchool runs the commands of README's "Running a real
// school" as written, on a fresh data dir, so the documented first run
// cannot drift from the binary again: `make build`, then creating the
// owner's superuser, then serving; the owner then signs in to the
// dashboard's API, and the server printed no "no superuser" hint. Only the
// data dir (every command must name the same one) and the listen address
// (another on a shared machine) are replaced.
func TestReadmeRealSchool(t *testing.T) {
	t.Parallel()
	lines := readmeCommands(t, "## Running a real school")
	if len(lines) != 3 || lines[0] != "make build" {
		t.Fatalf("README's real-school commands changed (%q): update this test with them", lines)
	}
	makeBuild(t) // README's `make build`, run once for every test here
	fresh := t.TempDir()
	addr := freeAddr(t)
	dirs := map[string]bool{}
	var email, password string
	var serve *server
	for _, line := range lines[1:] {
		env, args := shellWords(t, line)
		if len(args) < 2 || args[0] != "./bin/tutorbase" {
			t.Fatalf("README runs %q, not ./bin/tutorbase", line)
		}
		dir := flagValue(args, "--dir")
		if dir == "" {
			t.Fatalf("README's %q has no --dir: it would use bin/pb_data, not the school's data dir", line)
		}
		dirs[dir] = true
		setFlag(args, "--dir", fresh)
		c := exec.Command(args[0], args[1:]...)
		c.Env = cleanEnv(env)
		switch args[1] {
		case "superuser":
			email, password = args[3], args[4]
			if out, err := c.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
		case "serve":
			setFlag(c.Args, "--http", addr)
			serve = start(t, c, addr)
		default:
			t.Fatalf("README runs an unexpected command: %q", line)
		}
	}
	if len(dirs) != 1 {
		t.Fatalf("README's commands use different data dirs: %v", dirs)
	}
	if serve == nil || email == "" {
		t.Fatal("README neither creates the superuser nor serves")
	}
	if status, body := post(t, serve.url+"/api/collections/_superusers/auth-with-password", map[string]any{"identity": email, "password": password}); status != http.StatusOK {
		t.Fatalf("the owner README creates cannot sign in to the server README starts: %d %v\n%s", status, body, serve.stderr)
	}
	if strings.Contains(serve.stderr.String(), "No superuser yet") {
		t.Errorf("the server says it has no superuser:\n%s", serve.stderr)
	}
}

// readmeCommands returns the lines of the first sh block after heading.
func readmeCommands(t *testing.T, heading string) []string {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("README's %q has no sh block", heading)
	}
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// shellWords splits a command line as sh would (quotes, no expansions),
// its leading NAME=value words apart.
func shellWords(t *testing.T, line string) (env, args []string) {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case strings.ContainsRune("$`\\|&;<>()*?", r):
			t.Fatalf("README's %q needs a shell this test does not emulate", line)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("README's %q has an unclosed quote", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		env, words = append(env, words[0]), words[1:]
	}
	return env, words
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

func setFlag(args []string, name, value string) {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			args[i+1] = value
		} else if strings.HasPrefix(a, name+"=") {
			args[i] = name + "=" + value
		}
	}
}

// TestReadmeNamesTestRequirements: README names what `make test` needs and
// every tool it installs, with the version the Makefile pins.
func TestReadmeNamesTestRequirements(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(makefile), "\n") {
		_, pkg, ok := strings.Cut(l, "$(GO) install ")
		if !ok {
			continue
		}
		path, version, _ := strings.Cut(strings.TrimSpace(pkg), "@")
		name := path[strings.LastIndex(path, "/")+1:]
		if !strings.Contains(string(readme), name+" "+version) {
			t.Errorf("README does not name %s %s, which make test installs", name, version)
		}
	}
	for _, want := range []string{"Node.js", "npm", "chromium", "apt-get", "git", "Go 1.26", "e2e/node_modules"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README does not say make test needs or installs %s", want)
		}
	}
}
