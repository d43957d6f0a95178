package fatturapa

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tutorbase/internal/billing"
	"tutorbase/testkit/debtools"
)

// validate checks a file against the shipped schema, offline.
func validate(t *testing.T, doc []byte) error {
	t.Helper()
	dir, err := filepath.Abs("schema")
	if err != nil {
		t.Fatal(err)
	}
	out, err := debtools.ValidateXML(t, filepath.Join(dir, "Schema_VFPR12_1.2.1.xsd"), filepath.Join(dir, "catalog.xml"), doc)
	if err != nil {
		return errors.New(out)
	}
	return nil
}

func sample() Invoice {
	rome, _ := time.LoadLocation("Europe/Rome")
	return Invoice{
		Progressive: "00001", Type: TypeInvoice, Number: "INV-2027-000042",
		Date: time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), Location: rome, Currency: "EUR",
		Seller: Seller{Name: "Scuola Ripetizioni Città S.r.l.", VATNumber: "01234567890", TaxRegime: "RF01",
			Address: Address{Street: "Via Roma 1", PostalCode: "00100", City: "Roma", Province: "RM"}},
		Customer: Customer{Name: "Niccolò Rossi", FiscalCode: "RSSNCL80A01H501U",
			Address: Address{Street: "Piazza Duomo 2", PostalCode: "20121", City: "Milano", Province: "MI"}},
		Lines:     []billing.Line{billing.NewLine("Pacchetto 10 lezioni — matematica", 1, 25000)},
		Default:   billing.TaxRule{RateBP: 2200},
		Inclusive: true,
	}
}

var exempt = &billing.TaxRule{Nature: "N4", Reference: "art. 10 n. 20 DPR 633/72"}

func TestMarshalValidatesAgainstTheSchema(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Invoice)
		want   []string
		absent []string
	}{
		{"a private customer, tax included", func(*Invoice) {}, []string{
			`versione="FPR12"`, "<TipoDocumento>TD01</TipoDocumento>", "<Data>2027-01-01</Data>",
			"<CodiceDestinatario>0000000</CodiceDestinatario>", "<CodiceFiscale>RSSNCL80A01H501U</CodiceFiscale>",
			"<PrezzoTotale>204.92</PrezzoTotale>", "<ImponibileImporto>204.92</ImponibileImporto>",
			"<Imposta>45.08</Imposta>", "<ImportoTotaleDocumento>250.00</ImportoTotaleDocumento>",
			"<Descrizione>Pacchetto 10 lezioni - matematica</Descrizione>", "<RegimeFiscale>RF01</RegimeFiscale>"},
			[]string{"DatiBollo", "PECDestinatario"}},
		{"an exempt line over €77.47 bears the stamp duty", func(inv *Invoice) {
			inv.Lines = append(inv.Lines, billing.Line{Description: "Lezioni private", Quantity: 3, UnitAmount: 3000, Amount: 9000, Tax: exempt})
		}, []string{"<Natura>N4</Natura>", "<RiferimentoNormativo>art. 10 n. 20 DPR 633/72</RiferimentoNormativo>",
			"<Quantita>3.00</Quantita>", "<PrezzoUnitario>30.00</PrezzoUnitario>", "<BolloVirtuale>SI</BolloVirtuale>",
			"<AliquotaIVA>0.00</AliquotaIVA>", "<ImportoTotaleDocumento>340.00</ImportoTotaleDocumento>"}, nil},
		{"tax on the sum of a rate's lines; the lines add up to it", func(inv *Invoice) {
			inv.Lines = []billing.Line{billing.NewLine("a", 1, 100), billing.NewLine("b", 1, 100), billing.NewLine("c", 1, 100)}
		}, []string{"<PrezzoTotale>0.82</PrezzoTotale>", "<PrezzoTotale>0.82</PrezzoTotale>", "<PrezzoTotale>0.82</PrezzoTotale>",
			"<ImponibileImporto>2.46</ImponibileImporto>", "<Imposta>0.54</Imposta>"}, nil},
		{"a business with a recipient code", func(inv *Invoice) {
			inv.Customer = Customer{Name: "Acme S.p.A.", VATNumber: "09876543210", RecipientCode: "ABC1234",
				Address: Address{Street: "Via Po 3", PostalCode: "10121", City: "Torino", Province: "TO"}}
		}, []string{"<CodiceDestinatario>ABC1234</CodiceDestinatario>", "<IdCodice>09876543210</IdCodice>"}, []string{"PECDestinatario"}},
		{"a business reached by PEC", func(inv *Invoice) {
			inv.Customer.VATNumber, inv.Customer.PEC = "09876543210", "acme@pec.example.it"
		}, []string{"<CodiceDestinatario>0000000</CodiceDestinatario>", "<PECDestinatario>acme@pec.example.it</PECDestinatario>"}, nil},
		{"a customer abroad", func(inv *Invoice) {
			inv.Customer = Customer{Name: "Łukasz Wiśniewski / Дмитрий", VATNumber: "PL1234567890", FiscalCode: "",
				Address: Address{Street: "ul. Długa 5", PostalCode: "00000", City: "Kraków", Country: "PL"}}
		}, []string{"<CodiceDestinatario>XXXXXXX</CodiceDestinatario>", "<IdPaese>PL</IdPaese>", "<IdCodice>1234567890</IdCodice>",
			"<Denominazione>Lukasz Wisniewski / ???????</Denominazione>", "<Indirizzo>ul. Dluga 5</Indirizzo>", "<Comune>Kraków</Comune>", "<Nazione>PL</Nazione>"}, nil},
		{"a credit note carries positive amounts and its invoice", func(inv *Invoice) {
			inv.Type, inv.Number, inv.Progressive = TypeCreditNote, "INV-2027-000050", "00002"
			inv.RefersTo, inv.RefersToDate = "INV-2027-000042", inv.Date
			inv.Lines = []billing.Line{{Description: "Refund: lessons", Quantity: 1, UnitAmount: -12200, Amount: -12200, Tax: &billing.TaxRule{RateBP: 2200}}}
		}, []string{"<TipoDocumento>TD04</TipoDocumento>", "<IdDocumento>INV-2027-000042</IdDocumento>",
			"<ImportoTotaleDocumento>122.00</ImportoTotaleDocumento>", "<ImponibileImporto>100.00</ImponibileImporto>", "<Imposta>22.00</Imposta>"},
			[]string{"-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sample()
			tt.modify(&inv)
			doc, err := Marshal(inv)
			if err != nil {
				t.Fatalf("Marshal() error = %v", err)
			}
			if err := validate(t, doc); err != nil {
				t.Fatalf("the file does not validate: %v\n%s", err, doc)
			}
			for _, w := range tt.want {
				if !bytes.Contains(doc, []byte(w)) {
					t.Errorf("the file lacks %s:\n%s", w, doc)
				}
			}
			for _, a := range tt.absent {
				body := doc[bytes.Index(doc, []byte("<FatturaElettronicaBody>")):]
				if a == "-" && bytes.Contains(body, []byte(">-")) || a != "-" && bytes.Contains(doc, []byte(a)) {
					t.Errorf("the file has %s:\n%s", a, doc)
				}
			}
		})
	}
}

// TestValidationCanFail makes sure the schema check above rejects a file
// the schema forbids.
func TestValidationCanFail(t *testing.T) {
	doc, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][2]string{
		{"<TipoDocumento>TD01</TipoDocumento>", "<TipoDocumento>TD99</TipoDocumento>"},
		{"<CAP>00100</CAP>", "<CAP>100</CAP>"},
		{"<Denominazione>Niccolò Rossi</Denominazione>", "<Denominazione>Дмитрий</Denominazione>"},
	} {
		broken := bytes.Replace(doc, []byte(bad[0]), []byte(bad[1]), 1)
		if bytes.Equal(broken, doc) {
			t.Fatalf("%s not found", bad[0])
		}
		if validate(t, broken) == nil {
			t.Errorf("a file with %s validates", bad[1])
		}
	}
}

func TestMarshalRefusesWhatTheSdIRefuses(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Invoice)
		want   string
	}{
		{"not in euros", func(inv *Invoice) { inv.Currency = "USD" }, "not EUR"},
		{"school without partita IVA", func(inv *Invoice) { inv.Seller.VATNumber = "" }, "partita IVA"},
		{"school without tax regime", func(inv *Invoice) { inv.Seller.TaxRegime = "" }, "tax regime"},
		{"customer without tax code", func(inv *Invoice) { inv.Customer.FiscalCode = "" }, "neither codice fiscale"},
		{"malformed codice fiscale", func(inv *Invoice) { inv.Customer.FiscalCode = "rss" }, "codice fiscale is malformed"},
		{"recipient code of 6", func(inv *Invoice) { inv.Customer.RecipientCode = "ABC123" }, "codice destinatario"},
		{"customer without CAP", func(inv *Invoice) { inv.Customer.Address.PostalCode = "" }, "customer's CAP"},
		{"credit note without its invoice", func(inv *Invoice) { inv.Type = TypeCreditNote }, "names the invoice"},
		{"number too long", func(inv *Invoice) { inv.Number = strings.Repeat("9", 21) }, "1 to 20"},
		{"bad progressive", func(inv *Invoice) { inv.Progressive = "0000_1" }, "progressive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sample()
			tt.modify(&inv)
			_, err := Marshal(inv)
			if !errors.Is(err, ErrNotExportable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Marshal() error = %v, want ErrNotExportable mentioning %q", err, tt.want)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	if got := FileName(Seller{VATNumber: "01234567890"}, "0000A"); got != "IT01234567890_0000A.xml" {
		t.Errorf("FileName() = %q", got)
	}
}
