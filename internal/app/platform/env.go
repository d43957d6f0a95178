package platform

import (
	"time"

	"tutorbase/internal/config"
)

// Env is what every capability is built with besides the app: the
// configuration read at start and the clock. Tests set Now to run on any
// date; nothing else in a capability reads the time.
type Env struct {
	Config config.Config
	Now    func() time.Time
}

// NewEnv is the production Env: cfg and the system clock.
func NewEnv(cfg config.Config) Env {
	return Env{Config: cfg, Now: time.Now}
}
