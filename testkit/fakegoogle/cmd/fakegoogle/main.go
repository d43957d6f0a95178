// Command fakegoogle runs the fake Google of the tests (testkit/fakegoogle)
// for the browser tests: it prints its base address on the first line of
// its output and serves until it is stopped. Point GOOGLE_OAUTH_BASE and
// GOOGLE_API_BASE at it, with GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET set to
// the fake's client (fakegoogle.ClientID, fakegoogle.ClientSecret).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"tutorbase/testkit/fakegoogle"
)

func main() {
	s := fakegoogle.New()
	defer s.Close()
	fmt.Println(s.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
