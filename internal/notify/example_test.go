package notify_test

import (
	"fmt"
	"time"

	"tutorbase/internal/notify"
)

func ExampleRender() {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)
	msg, err := notify.Render(notify.Event{
		Kind:       notify.KindReminder,
		Start:      start,
		End:        start.Add(time.Hour),
		OtherParty: "Anna Bianchi",
		Subject:    "Matematica",
		JoinURL:    "https://meet.jit.si/tutorbase-7f3a9c",
		Offset:     time.Hour,
	}, notify.Recipient{Name: "Luca", Locale: "it", Location: rome})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msg.Title)
	fmt.Println(msg.Short)
	fmt.Println(msg.Text)
	// Output:
	// Promemoria: lezione con Anna Bianchi tra 1 ora
	// Promemoria: lezione con Anna Bianchi tra 1 ora, mar 1 dic 2026, 15:00–16:00 (Europe/Rome). https://meet.jit.si/tutorbase-7f3a9c
	// Ciao Luca,
	//
	// La tua lezione con Anna Bianchi (Matematica) inizia tra 1 ora: mar 1 dic 2026, 15:00–16:00 (Europe/Rome).
	//
	// Entra nella lezione: https://meet.jit.si/tutorbase-7f3a9c
}

func ExampleQuietHours_Deliver() {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := notify.ParseQuietHours("22:00", "07:00")
	if err != nil {
		fmt.Println(err)
		return
	}
	due := time.Date(2026, 12, 1, 22, 30, 0, 0, time.UTC) // 23:30 in Rome
	fmt.Println(q.Deliver(due, rome).UTC())
	// Output: 2026-12-02 06:00:00 +0000 UTC
}

func ExampleRetry_Next() {
	now := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)
	r := notify.DefaultRetry()
	for attempts := 1; attempts <= 6; attempts++ {
		at, ok := r.Next(attempts, now)
		if !ok {
			fmt.Printf("after %d failures: failed for good\n", attempts)
			continue
		}
		fmt.Printf("after %d failures: retry in %s\n", attempts, at.Sub(now))
	}
	// Output:
	// after 1 failures: retry in 1m0s
	// after 2 failures: retry in 5m0s
	// after 3 failures: retry in 15m0s
	// after 4 failures: retry in 1h0m0s
	// after 5 failures: retry in 4h0m0s
	// after 6 failures: failed for good
}
