package cmd_test

import (
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"

	"github.com/stretchr/testify/require"
)

func TestVapidGenerate(t *testing.T) {
	app := hookstest.NewApp(t)
	defer app.Cleanup()
	out, err := runCLI(t, app, "vapid", "generate")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	require.True(t, strings.HasPrefix(lines[0], "TB_VAPID_PUBLIC_KEY="), out)
	require.True(t, strings.HasPrefix(lines[1], "TB_VAPID_PRIVATE_KEY="), out)
	// what it prints is what the server reads: a valid pair
	cfg, err := config.Load(append(lines, "TB_VAPID_SUBJECT=mailto:office@school.example"))
	require.NoError(t, err)
	require.True(t, cfg.Push.Enabled())

	again, err := runCLI(t, app, "vapid", "generate")
	require.NoError(t, err)
	require.NotEqual(t, out, again, "a new pair each time")
}
