package pii_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"forewarn/app/extract"
	"forewarn/app/pii"
)

// want is an expected finding: its kind, the exact passage of the original
// text, and, when at is not -1, its byte offset.
type want struct {
	kind pii.Kind
	text string
	at   int
}

func passport(text string) want   { return want{pii.KindPassport, text, -1} }
func nationalID(text string) want { return want{pii.KindNationalID, text, -1} }
func email(text string) want      { return want{pii.KindOwnEmail, text, -1} }

// startingAt pins the byte offset of a finding.
func (w want) startingAt(n int) want { w.at = n; return w }

var (
	olena  = pii.Owner{Emails: []string{"Olena.Kovalenko@ukr.net"}} // Ukrainian seasonal worker in Poland
	ion    = pii.Owner{Emails: []string{"ion.popescu@yahoo.ro"}}
	ahmad  = pii.Owner{Emails: []string{"ahmad.k@gmail.com"}}
	ayse   = pii.Owner{Emails: []string{"ayse.yilmaz@hotmail.com"}}
	nobody = pii.Owner{}
)

const (
	mrzLine1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	mrzLine2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

// scanCases are shared by TestScan and, as seeds, by FuzzScan.
var scanCases = []struct {
	name  string
	text  string
	owner pii.Owner
	want  []want
}{
	// Passports, in many languages.
	{"en passport number", "My passport number is FE123456 and the agency kept it.", nobody, []want{passport("FE123456").startingAt(22)}},
	{"en passport no series", "Passport No. AB 1234567, issued in Kyiv.", nobody, []want{passport("AB 1234567")}},
	{"en number before keyword", "P1234567 is the number of my passport.", nobody, []want{passport("P1234567").startingAt(0)}},
	{"en passport hash", "passport #123456789", nobody, []want{passport("123456789")}},
	{"fr passeport", "Ils ont gardé mon passeport n° 12AB34567 pendant trois mois.", nobody, []want{passport("12AB34567")}},
	{"nl paspoortnummer", "Mijn paspoortnummer is NW1234567, ze hebben het afgepakt.", nobody, []want{passport("NW1234567")}},
	{"es pasaporte", "Me quitaron el pasaporte: PAA123456.", nobody, []want{passport("PAA123456")}},
	{"ro pașaport", "Mi-au luat pașaportul nr. 051234567 la graniță.", nobody, []want{passport("051234567")}},
	{"ro pasaport without diacritics", "pasaportul meu: 051234567", nobody, []want{passport("051234567")}},
	{"uk паспорт offset", "Мій паспорт: FE123456", nobody, []want{passport("FE123456").startingAt(len("Мій паспорт: "))}},
	{"ru series in Cyrillic", "Забрали паспорт серии КВ № 123456.", nobody, []want{passport("КВ № 123456")}},
	{"ru internal passport", "Паспорт РФ 45 12 345678 остался у бригадира.", nobody, []want{passport("45 12 345678")}},
	{"ru foreign passport", "мой загранпаспорт 75 1234567", nobody, []want{passport("75 1234567")}},
	{"tr pasaport", "Pasaport numaram U12345678, patron aldı.", nobody, []want{passport("U12345678")}},
	{"pl paszport", "Numer paszportu: EA1234567", nobody, []want{passport("EA1234567")}},
	{"de Reisepass", "Reisepass: C01X00T47", nobody, []want{passport("C01X00T47")}},
	{"ar passport", "رقم جواز السفر الخاص بي هو A12345678", nobody, []want{passport("A12345678").startingAt(len("رقم جواز السفر الخاص بي هو "))}},
	{"ar passport Arabic-Indic digits", "أخذوا جوازي رقم ١٢٣٤٥٦٧٨٩ في المطار", nobody, []want{passport("١٢٣٤٥٦٧٨٩").startingAt(len("أخذوا جوازي رقم "))}},
	{"fa گذرنامه Persian digits", "شماره گذرنامه من ۱۲۳۴۵۶۷۸۹ است", nobody, []want{passport("۱۲۳۴۵۶۷۸۹")}},
	{"prs پاسپورت", "پاسپورت من P۱۲۳۴۵۶۷ نزد کارفرما است", nobody, []want{passport("P۱۲۳۴۵۶۷")}},
	{"full-width passport", "passport ＦＥ１２３４５６", nobody, []want{passport("ＦＥ１２３４５６").startingAt(len("passport "))}},
	{"MRZ first line", "Photo of the page:\n" + mrzLine1 + "\n", nobody, []want{passport(mrzLine1).startingAt(19)}},
	{"MRZ second line", "second line " + mrzLine2, nobody, []want{passport(mrzLine2)}},
	{"MRZ both lines", mrzLine1 + "\n" + mrzLine2, nobody, []want{passport(mrzLine1), passport(mrzLine2)}},

	// National identity numbers.
	{"ro CNP with keyword", "CNP-ul meu este 1850101401238.", nobody, []want{nationalID("1850101401238")}},
	{"ro CNP anywhere", "Datele mele: 6030512123456, Cluj", nobody, []want{nationalID("6030512123456")}},
	{"md IDNP", "IDNP: 2001234567890", nobody, []want{nationalID("2001234567890")}},
	{"es DNI", "Mi DNI es 12345678Z y me lo pidieron por WhatsApp.", nobody, []want{nationalID("12345678Z")}},
	{"es DNI hyphen", "documento 12345678-Z", nobody, []want{nationalID("12345678-Z")}},
	{"es NIE", "Tengo NIE X1234567L desde 2023.", nobody, []want{nationalID("X1234567L")}},
	{"es NIE hyphens", "NIE: Y-1234567-X", nobody, []want{nationalID("Y-1234567-X")}},
	{"uk ІПН offset", "Мій ІПН 3012345678, не кажіть нікому", nobody, []want{nationalID("3012345678").startingAt(len("Мій ІПН "))}},
	{"uk РНОКПП", "РНОКПП: 2987654321", nobody, []want{nationalID("2987654321")}},
	{"en tax number", "They asked for my Ukrainian tax number 3012345678 by e-mail.", nobody, []want{nationalID("3012345678")}},
	{"fa کد ملی Persian digits", "کد ملی من ۰۰۸۱۲۳۴۵۶۲ است", nobody, []want{nationalID("۰۰۸۱۲۳۴۵۶۲").startingAt(len("کد ملی من "))}},
	{"fa کدملی Arabic keyboard", "كد ملي: 4608968882", nobody, []want{nationalID("4608968882")}},
	{"en Iranian national code", "my national code is 4608968882", nobody, []want{nationalID("4608968882")}},
	{"prs تذکره grouped", "نمبر تذکره من ۱۴۰۰-۰۱۰۱-۱۲۳۴۵ است", nobody, []want{nationalID("۱۴۰۰-۰۱۰۱-۱۲۳۴۵")}},
	{"en e-Tazkira", "my e-tazkira 1400010112345", nobody, []want{nationalID("1400010112345")}},
	{"tr TC Kimlik", "TC Kimlik No: 10000000146", nobody, []want{nationalID("10000000146")}},
	{"tr TC Kimlik anywhere", "Bilgilerim: 12345678950, Ankara", nobody, []want{nationalID("12345678950")}},
	{"pl PESEL", "PESEL: 44051401359", nobody, []want{nationalID("44051401359")}},
	{"pl PESEL anywhere", "moje dane: 44051401359, proszę usunąć", nobody, []want{nationalID("44051401359")}},
	{"pl PESEL born 2002", "mój PESEL to 02270803624", nobody, []want{nationalID("02270803624")}},
	{"nl BSN", "Mijn BSN is 111222333.", nobody, []want{nationalID("111222333")}},
	{"nl burgerservicenummer", "burgerservicenummer: 123456782", nobody, []want{nationalID("123456782")}},

	// Phone numbers are never held: accounts store no phone number, so a
	// number in a post is a recruiter's as far as Scan can tell.
	{"phone international", "Пишіть мені: +380 67 123 45 67", olena, nil},
	{"phone national", "мій номер 067 123 45 67", olena, nil},
	{"phone Arabic-Indic", "رقمي ٠٥٠١٢٣٤٥٦٧ واتساب", ahmad, nil},
	{"phone Persian digits", "شماره من ۰۹۱۲ ۱۲۳ ۴۵۶۷ است", nobody, nil},
	{"phone among recruiters", "Recruiter: +48 501 234 567, boss +48 600 111 222, me: +380671234567", olena, nil},

	// The poster's own e-mail addresses.
	{"own email", "Write to olena.kovalenko@ukr.net please", olena, []want{email("olena.kovalenko@ukr.net").startingAt(9)}},
	{"own email upper case", "ПИШІТЬ: OLENA.KOVALENKO@UKR.NET", olena, []want{email("OLENA.KOVALENKO@UKR.NET").startingAt(len("ПИШІТЬ: "))}},
	{"own email at dot", "olena.kovalenko at ukr dot net", olena, []want{email("olena.kovalenko at ukr dot net")}},
	{"own email (at)", "mail: ion.popescu(at)yahoo.ro", ion, []want{email("ion.popescu(at)yahoo.ro")}},
	{"own email [at] [dot]", "ion.popescu [at] yahoo [dot] ro", ion, []want{email("ion.popescu [at] yahoo [dot] ro")}},
	{"ar own email", "بريدي ahmad.k@gmail.com شكرا", ahmad, []want{email("ahmad.k@gmail.com").startingAt(len("بريدي "))}},
	{"own email full-width at", "ayse.yilmaz＠hotmail.com", ayse, []want{email("ayse.yilmaz＠hotmail.com")}},

	// Invisible format characters (zero-width, bidi controls, soft hyphen) inside a number or an address.
	{"own email zero-width space", "Write to olena.kova\u200blenko@ukr.net please", olena, []want{email("olena.kova\u200blenko@ukr.net").startingAt(9)}},
	{"own email soft hyphen and BOM", "mail: ion.po\u00adpescu@ya\ufeffhoo.ro", ion, []want{email("ion.po\u00adpescu@ya\ufeffhoo.ro")}},
	{"passport ZWNJ inside", "My passport number is FE12\u200c3456.", nobody, []want{passport("FE12\u200c3456").startingAt(22)}},
	{"passport word joiner inside", "Passport No. AB\u2060 1234567, issued in Kyiv.", nobody, []want{passport("AB\u2060 1234567")}},
	{"fa passport Persian digits ZWNJ", "شماره گذرنامه من ۱۲۳\u200c۴۵۶۷۸۹ است", nobody, []want{passport("۱۲۳\u200c۴۵۶۷۸۹")}},
	{"fa کد ملی Persian digits RLM", "کد ملی من \u200f۰۰۸۱۲۳۴۵۶۲ است", nobody, []want{nationalID("۰۰۸۱۲۳۴۵۶۲").startingAt(len("کد ملی من \u200f"))}},
	{"ar national ID Arabic-Indic digits", "كد ملي: ٤٦٠٨٩٦٨٨٨٢", nobody, []want{nationalID("٤٦٠٨٩٦٨٨٨٢")}},

	// Several at once, in order.
	{"everything at once", "Паспорт FE123456, телефон +380671234567, пошта olena.kovalenko@ukr.net, рекрутер +48 501 234 567", olena,
		[]want{passport("FE123456"), email("olena.kovalenko@ukr.net")}},

	// What must not be reported.
	{"recruiter phone", "The recruiter's number is +48 501 234 567, call him.", olena, nil},
	{"recruiter national phone", "Роботодавець: 0532 765 43 21 (Viber)", olena, nil},
	{"recruiter email", "They wrote from hr@best-jobs-poland.pl and jobs@agency.com", olena, nil},
	{"own email as part of another", "xolena.kovalenko@ukr.net or olena.kovalenko@ukr.net.ua", olena, nil},
	{"price euro", "They asked €1,200 for the visa and 350 € for the flight.", nobody, nil},
	{"price złoty", "Zapłaciłam 1 200 zł za pracę, a dostałam 12000 zł długu.", nobody, nil},
	{"price hryvnia", "Зарплата 25000 грн, житло 3500 грн", nobody, nil},
	{"ISO date", "I arrived on 2026-03-04 at 14:30.", nobody, nil},
	{"dotted date", "Am ajuns pe 04.03.2026, plecarea la 06:15", nobody, nil},
	{"postcodes", "75011 Paris, 1012 AB Amsterdam, CP 28001 Madrid, 00-950 Warszawa", nobody, nil},
	{"order numbers", "Order #12345678901, Замовлення № 12345678, commande 987654321", nobody, nil},
	{"IBAN", "IBAN: RO49AAAA1B31007593840000, NL91 ABNA 0417 1643 00", nobody, nil},
	{"IBAN near passport", "For the passport they wanted money on IBAN PL61109010140000071219812874", nobody, nil},
	{"plates", "The van had plates B 123 ABC and KA 1234 AB, later WX 12345", nobody, nil},
	{"CNP wrong checksum", "codul 1850101401239", nobody, nil},
	{"DNI wrong letter", "DNI 12345678A", nobody, nil},
	{"TC Kimlik wrong check", "TC 10000000147", nobody, nil},
	{"MRZ second line wrong check", "L898902C37UTO7408122F1204159ZE184226B<<<<<10", nobody, nil},
	{"passport keyword, number too short", "my passport 12345 was stolen", nobody, nil},
	{"passport keyword too far", "My passport was taken away by the so-called agency director in Warsaw last May; reference AB1234567", nobody, nil},
	{"passport then recruiter phone", "They took my passport. Call him: 501234567", olena, nil},
	{"passport and price", "Passport fee was €1,200 and the visa 350 €", nobody, nil},
	{"passport and date", "My passport expires on 04.03.2026", nobody, nil},
	{"passport service order number", "I paid the passport service, order 12345678", nobody, nil},
	{"IDNP without keyword", "Numărul 2001234567890 e pe contract", nobody, nil},
	{"BSN without keyword", "Het nummer 111222333 stond op het contract", nobody, nil},
	{"RNOKPP shape without keyword", "Договір № 3012345678 від 01.02.2026", nobody, nil},
	{"Iranian code without keyword", "قرارداد 4608968882", nobody, nil},
	{"Iranian code wrong checksum", "کد ملی 4608968883", nobody, nil},
	{"PESEL-valid number after tel", "Tel. 44051401359", nobody, nil},
	{"Turkish phone with no owner phone", "Patron: 05321234567", nobody, nil},
	{"Turkish phone that is a valid PESEL", "Patronun numarası 05321234569", nobody, nil},
	{"passport price in roubles", "They charged 150000 rubles for the passport", nobody, nil},
	{"passport fee in dirham", "دفعت ٢٥٠٠٠٠ درهم مقابل جواز السفر", nobody, nil},
	{"times", "Shift 06:00-18:00, break 12:30, 7 days a week", nobody, nil},
	{"salary ro", "Salariu 3500 lei, telefon 0722 987 654", ion, nil},
	{"salary es", "Pago 1.200 € al mes, llamar al 612 345 678", nobody, nil},
	{"empty", "", olena, nil},
}

func TestScan(t *testing.T) {
	for _, tc := range scanCases {
		t.Run(tc.name, func(t *testing.T) {
			got := pii.Scan(tc.text, tc.owner)
			if len(got) != len(tc.want) {
				t.Fatalf("Scan(%q) = %s, want %d findings", tc.text, describe(tc.text, got), len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Kind != w.kind || tc.text[g.Start:g.End] != w.text {
					t.Errorf("finding %d = %s %q, want %s %q", i, g.Kind, tc.text[g.Start:g.End], w.kind, w.text)
				}
				if w.at >= 0 && g.Start != w.at {
					t.Errorf("finding %d starts at byte %d, want %d", i, g.Start, w.at)
				}
			}
		})
	}
}

// TestScanCoverage keeps the table as broad as the feature needs.
func TestScanCoverage(t *testing.T) {
	negatives := 0
	for _, tc := range scanCases {
		if len(tc.want) == 0 {
			negatives++
		}
	}
	if len(scanCases) < 60 || negatives < 20 {
		t.Errorf("%d cases, %d negative; want at least 60 and 20", len(scanCases), negatives)
	}
}

func describe(text string, fs []pii.Finding) string {
	var b strings.Builder
	b.WriteString("[")
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(f.Kind) + " " + passage(text, f))
	}
	b.WriteString("]")
	return b.String()
}

func passage(text string, f pii.Finding) string {
	if f.Start < 0 || f.End > len(text) || f.Start > f.End {
		return "<out of range>"
	}
	return "\"" + text[f.Start:f.End] + "\""
}

// fuzzOwner knows the e-mails of every owner in the table.
var fuzzOwner = pii.Owner{
	Emails: []string{"olena.kovalenko@ukr.net", "ion.popescu@yahoo.ro", "ahmad.k@gmail.com", "ayse.yilmaz@hotmail.com"},
}

func FuzzScan(f *testing.F) {
	for _, tc := range scanCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, owner := range []pii.Owner{fuzzOwner, nobody} {
			got := pii.Scan(text, owner)
			boundary := make(map[int]bool, len(text)+1)
			for i := range text {
				boundary[i] = true
			}
			boundary[len(text)] = true
			end := 0
			for _, g := range got {
				if g.Start < end || g.Start >= g.End || g.End > len(text) {
					t.Fatalf("Scan(%q) = %v: out of order, empty, overlapping or out of bounds", text, got)
				}
				if !boundary[g.Start] || !boundary[g.End] {
					t.Fatalf("Scan(%q) = %v: offset inside a rune", text, got)
				}
				end = g.End
			}
		}
	})
}

func BenchmarkScan(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		pii.Scan(text, olena)
	}
}

// benchText is a post of about 5 KB in several languages, full of numbers.
func benchText() string {
	parts := []string{
		"In March 2026 I answered an ad on Facebook for seasonal work in Poland, 18 EUR per hour, housing included. ",
		"The recruiter, +48 501 234 567, said to send my passport scan and pay €1,200 to IBAN PL61109010140000071219812874. ",
		"Нам обіцяли 25000 грн, житло 3500 грн, дорога 04.03.2026 о 14:30, замовлення № 12345678. ",
		"Ils m'ont demandé 350 € pour le visa, écrivez à hr@best-jobs-poland.pl ou appelez le 06 12 34 56 78. ",
		"رقم المكتب ٠٥٠١٢٣٤٥٦٧ والسعر ١٬٢٠٠ درهم. شماره تماس ۰۹۱۲ ۷۶۵ ۴۳۲۱ ",
		"Patron 0532 765 43 21, adres 34000 İstanbul, maaş 25.000 TL. Zapłaciłam 1 200 zł. ",
	}
	var b strings.Builder
	for b.Len() < 5000 {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	b.WriteString("Мій паспорт FE123456, мій номер +380 67 123 45 67, olena.kovalenko@ukr.net.")
	s := b.String()
	if !utf8.ValidString(s) {
		panic("bench text")
	}
	return s
}

// TestExtractAndScanAgree: app/extract and app/pii read a text through the
// one normaliser in app/textnorm, so an address or number with invisible
// format characters inside is both extracted as an indicator and held as the
// poster's own, over the same passage.
func TestExtractAndScanAgree(t *testing.T) {
	for _, tc := range []struct {
		name, text, passage string
		kind                extract.Kind
		ownKind             pii.Kind
	}{
		{"zero-width space in own e-mail", "Write to olena.kova\u200blenko@ukr.net please", "olena.kova\u200blenko@ukr.net", extract.KindEmail, pii.KindOwnEmail},
		{"soft hyphen in own e-mail", "olena.\u00adkovalenko@ukr.net", "olena.\u00adkovalenko@ukr.net", extract.KindEmail, pii.KindOwnEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var extracted []string
			for _, f := range extract.Extract(tc.text, extract.Options{Region: "UA"}) {
				if f.Kind == tc.kind {
					extracted = append(extracted, tc.text[f.Start:f.End])
				}
			}
			if !slices.Contains(extracted, tc.passage) {
				t.Errorf("extract: got %q, want %q", extracted, tc.passage)
			}
			var held []string
			for _, f := range pii.Scan(tc.text, olena) {
				if f.Kind == tc.ownKind {
					held = append(held, tc.text[f.Start:f.End])
				}
			}
			if !slices.Contains(held, tc.passage) {
				t.Errorf("pii: got %q, want %q", held, tc.passage)
			}
		})
	}
}
