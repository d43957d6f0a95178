package fatturapa

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode"

	"tutorbase/internal/billing"

	"golang.org/x/text/unicode/norm"
)

// The XML elements, in the schema's order (FatturaElettronicaType).
type (
	fattura struct {
		XMLName  xml.Name `xml:"p:FatturaElettronica"`
		Versione string   `xml:"versione,attr"`
		NSP      string   `xml:"xmlns:p,attr"`
		NSDS     string   `xml:"xmlns:ds,attr"`
		Header   header   `xml:"FatturaElettronicaHeader"`
		Body     body     `xml:"FatturaElettronicaBody"`
	}
	header struct {
		Trasmissione trasmissione `xml:"DatiTrasmissione"`
		Cedente      party        `xml:"CedentePrestatore"`
		Cessionario  party        `xml:"CessionarioCommittente"`
	}
	trasmissione struct {
		IdTrasmittente      idFiscale `xml:"IdTrasmittente"`
		ProgressivoInvio    string    `xml:"ProgressivoInvio"`
		FormatoTrasmissione string    `xml:"FormatoTrasmissione"`
		CodiceDestinatario  string    `xml:"CodiceDestinatario"`
		PECDestinatario     string    `xml:"PECDestinatario,omitempty"`
	}
	idFiscale struct {
		IdPaese  string `xml:"IdPaese"`
		IdCodice string `xml:"IdCodice"`
	}
	party struct {
		Anagrafici anagrafici `xml:"DatiAnagrafici"`
		Sede       sede       `xml:"Sede"`
	}
	anagrafici struct {
		IdFiscaleIVA  *idFiscale `xml:"IdFiscaleIVA,omitempty"`
		CodiceFiscale string     `xml:"CodiceFiscale,omitempty"`
		Denominazione string     `xml:"Anagrafica>Denominazione"`
		RegimeFiscale string     `xml:"RegimeFiscale,omitempty"`
	}
	sede struct {
		Indirizzo string `xml:"Indirizzo"`
		CAP       string `xml:"CAP"`
		Comune    string `xml:"Comune"`
		Provincia string `xml:"Provincia,omitempty"`
		Nazione   string `xml:"Nazione"`
	}
	body struct {
		Generali    generali    `xml:"DatiGenerali"`
		BeniServizi beniServizi `xml:"DatiBeniServizi"`
	}
	generali struct {
		Documento documento   `xml:"DatiGeneraliDocumento"`
		Collegate []collegata `xml:"DatiFattureCollegate,omitempty"`
	}
	documento struct {
		TipoDocumento string `xml:"TipoDocumento"`
		Divisa        string `xml:"Divisa"`
		Data          string `xml:"Data"`
		Numero        string `xml:"Numero"`
		Bollo         *bollo `xml:"DatiBollo,omitempty"`
		Totale        string `xml:"ImportoTotaleDocumento"`
		Causale       string `xml:"Causale,omitempty"`
	}
	bollo struct {
		Virtuale string `xml:"BolloVirtuale"`
		Importo  string `xml:"ImportoBollo"`
	}
	collegata struct {
		IdDocumento string `xml:"IdDocumento"`
		Data        string `xml:"Data,omitempty"`
	}
	beniServizi struct {
		Linee     []linea     `xml:"DettaglioLinee"`
		Riepilogo []riepilogo `xml:"DatiRiepilogo"`
	}
	linea struct {
		NumeroLinea    int    `xml:"NumeroLinea"`
		Descrizione    string `xml:"Descrizione"`
		Quantita       string `xml:"Quantita,omitempty"`
		PrezzoUnitario string `xml:"PrezzoUnitario"`
		PrezzoTotale   string `xml:"PrezzoTotale"`
		AliquotaIVA    string `xml:"AliquotaIVA"`
		Natura         string `xml:"Natura,omitempty"`
	}
	riepilogo struct {
		AliquotaIVA          string `xml:"AliquotaIVA"`
		Natura               string `xml:"Natura,omitempty"`
		ImponibileImporto    string `xml:"ImponibileImporto"`
		Imposta              string `xml:"Imposta"`
		EsigibilitaIVA       string `xml:"EsigibilitaIVA,omitempty"`
		RiferimentoNormativo string `xml:"RiferimentoNormativo,omitempty"`
	}
)

// stampDutyThreshold: an invoice with more than €77.47 of untaxed
// amounts bears the €2 stamp duty (imposta di bollo), paid virtually.
const stampDutyThreshold = 7747

func build(inv Invoice) fattura {
	sign := int64(1)
	if inv.Type == TypeCreditNote {
		sign = -1 // TD04 carries positive amounts
	}
	lines := make([]billing.Line, len(inv.Lines))
	for i, l := range inv.Lines {
		l.Amount, l.UnitAmount = sign*l.Amount, sign*l.UnitAmount
		lines[i] = l
	}
	groups, totals := billing.TaxByRate(lines, inv.Default, inv.Inclusive)
	f := fattura{Versione: "FPR12", NSP: Namespace, NSDS: "http://www.w3.org/2000/09/xmldsig#"}
	f.Header = header{
		Trasmissione: trasmissione{
			IdTrasmittente: idFiscale{"IT", inv.Seller.VATNumber}, ProgressivoInvio: inv.Progressive,
			FormatoTrasmissione: "FPR12", CodiceDestinatario: recipientCode(inv.Customer),
		},
		Cedente: party{
			Anagrafici: anagrafici{IdFiscaleIVA: &idFiscale{"IT", inv.Seller.VATNumber}, CodiceFiscale: inv.Seller.FiscalCode,
				Denominazione: latinMax(inv.Seller.Name, 80), RegimeFiscale: inv.Seller.TaxRegime},
			Sede: seat(inv.Seller.Address),
		},
		Cessionario: party{Anagrafici: customerData(inv.Customer), Sede: seat(inv.Customer.Address)},
	}
	if f.Header.Trasmissione.CodiceDestinatario == NoRecipientCode && inv.Customer.PEC != "" {
		f.Header.Trasmissione.PECDestinatario = inv.Customer.PEC
	}
	doc := documento{TipoDocumento: inv.Type, Divisa: "EUR", Data: day(inv.Date, inv.Location),
		Numero: inv.Number, Totale: amount(totals.Total)}
	var untaxed int64
	for _, g := range groups {
		if g.Rule.Exempt() {
			untaxed += g.Taxable
		}
	}
	if untaxed > stampDutyThreshold {
		doc.Bollo = &bollo{Virtuale: "SI", Importo: "2.00"}
	}
	f.Body.Generali.Documento = doc
	if inv.Type == TypeCreditNote {
		c := collegata{IdDocumento: inv.RefersTo}
		if !inv.RefersToDate.IsZero() {
			c.Data = day(inv.RefersToDate, inv.Location)
		}
		f.Body.Generali.Collegate = []collegata{c}
		f.Body.Generali.Documento.Causale = "Nota di credito: storno della fattura " + inv.RefersTo
	}
	f.Body.BeniServizi = goods(lines, groups, inv)
	return f
}

// goods writes the lines net of tax and the summary per rule. With prices
// including tax, each line's net is backed out of it and the rule's last
// line takes the rounding rest, so a rule's lines add up to its taxable.
func goods(lines []billing.Line, groups []billing.TaxSummary, inv Invoice) beniServizi {
	var out beniServizi
	left := map[billing.TaxRule]int64{}
	lastOf := map[billing.TaxRule]int{}
	for _, g := range groups {
		left[g.Rule] = g.Taxable
	}
	for i, l := range lines {
		lastOf[billing.RuleOf(l, inv.Default)] = i
	}
	for i, l := range lines {
		rule := billing.RuleOf(l, inv.Default)
		net := l.Amount
		if inv.Inclusive {
			net = billing.MulDivRound(l.Amount, 10000, 10000+rule.RateBP)
		}
		if lastOf[rule] == i {
			net = left[rule]
		}
		left[rule] -= net
		row := linea{NumeroLinea: i + 1, Descrizione: latinMax(l.Description, 1000), PrezzoUnitario: amount(net),
			PrezzoTotale: amount(net), AliquotaIVA: rate(rule.RateBP), Natura: rule.Nature}
		if q := l.Quantity; q > 1 && net%q == 0 {
			row.Quantita, row.PrezzoUnitario = fmt.Sprintf("%d.00", q), amount(net/q)
		}
		if row.Descrizione == "" {
			row.Descrizione = "-"
		}
		out.Linee = append(out.Linee, row)
	}
	for _, g := range groups {
		r := riepilogo{AliquotaIVA: rate(g.Rule.RateBP), Natura: g.Rule.Nature, ImponibileImporto: amount(g.Taxable),
			Imposta: amount(g.Tax), RiferimentoNormativo: latinMax(g.Rule.Reference, 100)}
		if !g.Rule.Exempt() {
			r.EsigibilitaIVA = "I"
		}
		out.Riepilogo = append(out.Riepilogo, r)
	}
	return out
}

func recipientCode(c Customer) string {
	switch {
	case c.RecipientCode != "":
		return c.RecipientCode
	case c.Address.Country != "" && c.Address.Country != "IT":
		return ForeignRecipientCode
	}
	return NoRecipientCode
}

func customerData(c Customer) anagrafici {
	a := anagrafici{CodiceFiscale: c.FiscalCode, Denominazione: latinMax(c.Name, 80)}
	if c.VATNumber != "" {
		country := c.Address.Country
		if country == "" {
			country = "IT"
		}
		a.IdFiscaleIVA = &idFiscale{country, strings.TrimPrefix(c.VATNumber, country)}
	}
	return a
}

func seat(a Address) sede {
	country := a.Country
	if country == "" {
		country = "IT"
	}
	s := sede{Indirizzo: latinMax(a.Street, 60), CAP: a.PostalCode, Comune: latinMax(a.City, 60), Nazione: country}
	if country == "IT" {
		s.Provincia = a.Province
	}
	return s
}

// amount writes cents as euros with two decimals.
func amount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// rate writes basis points as a percentage with two decimals.
func rate(bp int64) string { return fmt.Sprintf("%d.%02d", bp/100, bp%100) }

func day(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02")
}

// latinTransliterations are the Latin letters without a Latin-1 form that
// decomposition does not reduce (ł is not l + a mark).
var latinTransliterations = map[rune]string{'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ı': "i", 'œ': "oe", 'Œ': "OE", 'ŋ': "n", 'ħ': "h"}

// latin makes s fit the schema's Latin-1 text: a Latin-1 rune stays,
// another Latin letter loses its marks (ś is s), typographic quotes and
// dashes become ASCII, white space a space, anything else '?'.
func latin(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "?") {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		case r <= 0xFF:
			b.WriteRune(r)
		case latinTransliterations[r] != "":
			b.WriteString(latinTransliterations[r])
		case r == '‘' || r == '’':
			b.WriteByte('\'')
		case r == '“' || r == '”':
			b.WriteByte('"')
		case r == '–' || r == '—':
			b.WriteByte('-')
		case r == '€':
			b.WriteString("EUR")
		default:
			b.WriteString(stripMarks(r))
		}
	}
	return strings.TrimSpace(b.String())
}

func stripMarks(r rune) string {
	var out []rune
	for _, d := range norm.NFD.String(string(r)) {
		if d <= 0xFF && !unicode.Is(unicode.Mn, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// latinMax is latin cut to at most n runes.
func latinMax(s string, n int) string {
	r := []rune(latin(s))
	if len(r) > n {
		r = r[:n]
	}
	return strings.TrimSpace(string(r))
}
