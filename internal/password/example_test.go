package password_test

import (
	"errors"
	"fmt"
	"time"

	"tutorbase/internal/password"
)

func ExamplePolicy_Check() {
	p := password.DefaultPolicy()
	for _, pw := range []string{"hunter2", "PasswordPassword", "lamp tiger oaks"} {
		err := p.Check(pw, "jane.doe@example.org", false)
		var perr *password.Error
		if errors.As(err, &perr) {
			fmt.Printf("%s: %s\n", perr.Code, perr.Message)
			continue
		}
		fmt.Println("ok")
	}
	// Output:
	// too_short: Use at least 15 characters.
	// common: This password is too common; choose another.
	// ok
}

func ExampleLockout_Fail() {
	l := password.DefaultLockout()
	now := time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	var s password.State
	for range 10 {
		var locked bool
		if s, locked = l.Fail(s, now); locked {
			fmt.Println("locked until", s.LockedUntil.Format(time.Kitchen))
		}
	}
	fmt.Println(l.Locked(s, now.Add(15*time.Minute)))
	// Output:
	// locked until 9:15AM
	// false
}
