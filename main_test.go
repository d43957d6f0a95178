package main

import (
	"testing"
	"time"

	"tutorbase/internal/config"
)

// TestQueryTimeoutDefault checks that the query timeout of the
// configuration becomes the default of PocketBase's --queryTimeout flag
// (PocketBase's own default is 30 s).
func TestQueryTimeoutDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cfg  config.Config
		want string
	}{
		{config.Config{}, "5"},
		{config.Config{QueryTimeout: 12 * time.Second}, "12"},
	} {
		app := newApp(tt.cfg)
		f := app.RootCmd.PersistentFlags().Lookup("queryTimeout")
		if f == nil {
			t.Fatal("PocketBase has no --queryTimeout flag")
		}
		if f.DefValue != tt.want {
			t.Errorf("--queryTimeout defaults to %s, want %s", f.DefValue, tt.want)
		}
	}
}
