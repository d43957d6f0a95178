// Package fatturapa writes Italian electronic invoices in the FatturaPA
// format for private parties (FPR12, schema version 1.2.x), the XML the
// school or its intermediary sends to the exchange system (SdI): one file
// per invoice or credit note (TD04), named after the sender and a
// progressive number. The schema shipped in schema/ validates the output
// (xmllint in the tests). The package is pure: plain values in, bytes out.
package fatturapa

import (
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"tutorbase/internal/billing"
)

// Namespace is FatturaPA 1.2's XML namespace.
const Namespace = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"

// Document types.
const (
	TypeInvoice    = "TD01"
	TypeCreditNote = "TD04"
)

// NoRecipientCode is the recipient code of a customer reached by PEC or
// through their tax drawer (private persons); ForeignRecipientCode is a
// customer outside Italy's.
const (
	NoRecipientCode      = "0000000"
	ForeignRecipientCode = "XXXXXXX"
)

// TaxRegimes are the RegimeFiscale codes a seller may have (RF03 was
// withdrawn): RF01 ordinary, RF19 flat-rate (forfettario), and the others.
var TaxRegimes = []string{"RF01", "RF02", "RF04", "RF05", "RF06", "RF07", "RF08", "RF09", "RF10",
	"RF11", "RF12", "RF13", "RF14", "RF15", "RF16", "RF17", "RF18", "RF19"}

// ErrNotExportable reports an invoice that cannot be written as FatturaPA:
// missing or malformed tax data, or not in euros.
var ErrNotExportable = errors.New("fatturapa: not exportable")

// Address is a party's seat.
type Address struct {
	Street     string // Indirizzo, with the house number
	PostalCode string // CAP, 5 digits (00000 abroad)
	City       string
	Province   string // 2 letters, Italy only, optional
	Country    string // ISO 3166-1 alpha-2; empty is IT
}

// Seller is the school as the law knows it.
type Seller struct {
	Name       string
	VATNumber  string // partita IVA, 11 digits (without the IT prefix)
	FiscalCode string // codice fiscale, when it differs from the partita IVA
	TaxRegime  string // one of TaxRegimes
	Address    Address
}

// Customer is who the invoice is made out to: a private person (fiscal
// code) or a business (VAT number, and a recipient code or a PEC address).
type Customer struct {
	Name          string
	FiscalCode    string // codice fiscale
	VATNumber     string // partita IVA (or a foreign VAT number)
	RecipientCode string // codice destinatario, 7 characters; empty is NoRecipientCode
	PEC           string // certified email, used when there is no recipient code
	Address       Address
}

// Invoice is one document to write.
type Invoice struct {
	Progressive string // ProgressivoInvio: unique per sender, at most 10 letters or digits
	Type        string // TypeInvoice or TypeCreditNote
	Number      string // the invoice number, at most 20 characters
	Date        time.Time
	Location    *time.Location // the school's zone, in which Date is taken; nil is UTC
	Currency    string         // must be EUR
	Seller      Seller
	Customer    Customer
	// Lines as stored on the invoice (negative on a credit note); Default is
	// the rule of lines without one, Inclusive whether amounts include tax.
	Lines     []billing.Line
	Default   billing.TaxRule
	Inclusive bool
	// RefersTo is the invoice a credit note reverses: its number and date.
	RefersTo     string
	RefersToDate time.Time
}

// FileName is the name the SdI requires: sender's country and code, an
// underscore, the progressive, ".xml".
func FileName(s Seller, progressive string) string {
	return "IT" + s.VATNumber + "_" + progressive + ".xml"
}

var (
	digits11        = regexp.MustCompile(`^[0-9]{11}$`)
	fiscalCodeRE    = regexp.MustCompile(`^[A-Z0-9]{11,16}$`)
	recipientCodeRE = regexp.MustCompile(`^[A-Z0-9]{7}$`)
	progressiveRE   = regexp.MustCompile(`^[A-Za-z0-9]{1,10}$`)
	capRE           = regexp.MustCompile(`^[0-9]{5}$`)
	provinceRE      = regexp.MustCompile(`^[A-Z]{2}$`)
	countryRE       = regexp.MustCompile(`^[A-Z]{2}$`)
	emailRE         = regexp.MustCompile(`^.+@.+\..+$`)
)

func notExportable(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotExportable}, args...)...)
}

// validate checks what the schema and the SdI require of the parties.
func (inv Invoice) validate() error {
	s, c := inv.Seller, inv.Customer
	switch {
	case inv.Currency != "EUR":
		return notExportable("currency %s is not EUR", inv.Currency)
	case inv.Type != TypeInvoice && inv.Type != TypeCreditNote:
		return notExportable("unknown type %q", inv.Type)
	case !progressiveRE.MatchString(inv.Progressive):
		return notExportable("bad progressive %q", inv.Progressive)
	case inv.Number == "" || len(inv.Number) > 20 || latin(inv.Number) != inv.Number:
		return notExportable("the number %q is not 1 to 20 plain characters", inv.Number)
	}
	if err := s.Validate(); err != nil {
		return err
	}
	switch {
	case c.FiscalCode == "" && c.VATNumber == "":
		return notExportable("the customer has neither codice fiscale nor partita IVA")
	case c.FiscalCode != "" && !fiscalCodeRE.MatchString(c.FiscalCode):
		return notExportable("the customer's codice fiscale is malformed")
	case c.RecipientCode != "" && !recipientCodeRE.MatchString(c.RecipientCode):
		return notExportable("the customer's codice destinatario is not 7 letters or digits")
	case c.PEC != "" && !emailRE.MatchString(c.PEC):
		return notExportable("the customer's PEC is not an address")
	case strings.TrimSpace(c.Name) == "":
		return notExportable("the customer has no name")
	}
	if err := c.Address.validate("customer"); err != nil {
		return err
	}
	if inv.Type == TypeCreditNote && inv.RefersTo == "" {
		return notExportable("a credit note names the invoice it reverses")
	}
	return nil
}

// Validate checks the school's data: an 11-digit partita IVA, a fiscal
// code if any, a tax regime, a name and an Italian legal address.
func (s Seller) Validate() error {
	switch {
	case !digits11.MatchString(s.VATNumber):
		return notExportable("the school's partita IVA is not 11 digits")
	case s.FiscalCode != "" && !fiscalCodeRE.MatchString(s.FiscalCode):
		return notExportable("the school's codice fiscale is malformed")
	case !contains(TaxRegimes, s.TaxRegime):
		return notExportable("the school has no tax regime (RegimeFiscale)")
	case strings.TrimSpace(s.Name) == "":
		return notExportable("the school has no name")
	}
	return s.Address.validate("school")
}

func (a Address) validate(who string) error {
	switch {
	case strings.TrimSpace(a.Street) == "" || strings.TrimSpace(a.City) == "":
		return notExportable("the %s's address has no street or city", who)
	case !capRE.MatchString(a.PostalCode):
		return notExportable("the %s's CAP is not 5 digits", who)
	case a.Province != "" && !provinceRE.MatchString(a.Province):
		return notExportable("the %s's province is not 2 letters", who)
	case a.Country != "" && !countryRE.MatchString(a.Country):
		return notExportable("the %s's country is not a 2-letter code", who)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Marshal writes the invoice as a FatturaPA FPR12 file, UTF-8 encoded.
// Amounts are written positive on a credit note, as TD04 requires; line
// prices are net of tax, each rule's lines adding up exactly to its
// taxable amount (DatiRiepilogo). Text outside Latin-1, which the schema
// refuses, is transliterated where it is accented Latin and written as
// '?' otherwise.
func Marshal(inv Invoice) ([]byte, error) {
	if err := inv.validate(); err != nil {
		return nil, err
	}
	doc := build(inv)
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}
