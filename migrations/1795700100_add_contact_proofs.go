package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// contactRateLimits cover the routes that prove a phone or a Telegram chat
// (each send costs the school an SMS).
var contactRateLimits = []core.RateLimitRule{
	{Label: "/api/account/", MaxRequests: 20, Duration: 60},
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		// a phone receives SMS and WhatsApp only once a code sent to it
		// came back (hooks/contacts.go); a new number starts unproven
		users.Fields.Add(&core.BoolField{Name: "phone_verified"})
		if err := app.Save(users); err != nil {
			return err
		}
		// chat ids were typed by hand and never proven: from now on the
		// school's bot fills them, so people connect Telegram again
		if _, err := app.DB().NewQuery("UPDATE users SET telegram_chat_id = '' WHERE telegram_chat_id != ''").Execute(); err != nil {
			return err
		}

		proofs := core.NewBaseCollection("contact_proofs")
		proofs.Fields.Add(
			relation("user", users.Id, true, true),
			choice("kind", true, "phone", "telegram"),
			text("target", 32, false),                              // the phone number the code went to
			&core.TextField{Name: "secret", Max: 64, Hidden: true}, // SHA-256 of the code or token (contact.Hash)
			&core.DateField{Name: "expires_at", Required: true},
			integer("attempts", 0, 100, false),
		)
		proofs.Fields.Add(timestamps()...)
		proofs.AddIndex("idx_contact_proofs_user_kind", true, "user, kind", "")
		proofs.AddIndex("idx_contact_proofs_secret", false, "secret", "")
		rules(proofs, nil, nil, nil, nil, nil) // the server's alone
		if err := app.Save(proofs); err != nil {
			return err
		}

		s := app.Settings()
		for _, r := range contactRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		return app.Save(s)
	}, func(app core.App) error {
		if err := dropCollections(app, "contact_proofs"); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("phone_verified")
		if err := app.Save(users); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return slices.ContainsFunc(contactRateLimits, func(r core.RateLimitRule) bool { return r.Label == x.Label })
		})
		return app.Save(s)
	})
}
