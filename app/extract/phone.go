package extract

import (
	"forewarn/app/textnorm"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

const (
	minPhoneDigits = 7  // fewer digits are a price, a postcode or a year
	maxPhoneDigits = 17 // with an international prefix "00"
)

// NormalizePhone returns a phone number in E.164.
//
// A number written in international form ("+44 …", "0044 …") is read
// whatever the regions. A number written in national form is read in each
// region in turn: the first region where it is a valid number wins, else the
// first where it is a possible one. Digits of any script and the usual
// separators (spaces, dots, dashes, slashes, parentheses) are accepted;
// letters are not. ok is false when raw is not a number.
func NormalizePhone(raw string, regions ...string) (string, bool) {
	digits, plus, ok := phoneDigits(raw)
	if !ok {
		return "", false
	}
	if plus || strings.HasPrefix(digits, "00") {
		d := digits
		if !plus {
			d = digits[2:]
		}
		if e, _, ok := parseInternational(d); ok {
			return e, true
		}
		if plus {
			return "", false
		}
	}
	var possible string
	for _, r := range regions {
		if r = normRegion(r); r == "" {
			continue
		}
		num, err := phonenumbers.Parse(digits, r)
		if err != nil {
			continue
		}
		e, ok := stableE164(num)
		if !ok {
			continue
		}
		if phonenumbers.IsValidNumberForRegion(num, r) || isFictional(e) {
			return e, true
		}
		if possible == "" {
			possible = e
		}
	}
	return possible, possible != ""
}

// phoneDigits reads the digits of a written number as ASCII, and whether it
// starts with '+'.
func phoneDigits(raw string) (digits string, plus, ok bool) {
	var b [maxPhoneDigits + 1]byte
	n := 0
	for _, r := range raw {
		f := textnorm.Fold(r)
		switch {
		case f >= '0' && f <= '9':
			if n == len(b) {
				return "", false, false
			}
			b[n] = byte(f)
			n++
		case f == '+' && n == 0 && !plus:
			plus = true
		case f == ' ' || f == '.' || f == '-' || f == '(' || f == ')' || f == '/' || f == '\t' || f == textnorm.Drop:
		default:
			return "", false, false
		}
	}
	if n < 5 || n > maxPhoneDigits {
		return "", false, false
	}
	return string(b[:n]), plus, true
}

// normRegion returns an ISO 3166-1 alpha-2 code in upper case, or "".
func normRegion(r string) string {
	r = strings.ToUpper(strings.TrimSpace(r))
	if r == "UK" {
		return "GB"
	}
	if len(r) != 2 || !isASCIIUpper(r[0]) || !isASCIIUpper(r[1]) {
		return ""
	}
	return r
}

// parseInternational reads the digits of a number written after '+'; ok when
// it is a possible number, valid when it is a valid one.
func parseInternational(digits string) (e164 string, valid, ok bool) {
	if len(digits) < 5 || len(digits) > 15 || digits[0] == '0' {
		return "", false, false
	}
	num, err := phonenumbers.Parse("+"+digits, "")
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", false, false
	}
	e := "+" + digits
	if f := phonenumbers.Format(num, phonenumbers.E164); f != e {
		// Something was read away ("+44 (0) …"): check that the result reads the same.
		var ok bool
		if e, ok = stableE164(num); !ok {
			return "", false, false
		}
	}
	return e, phonenumbers.IsValidNumber(num) || isFictional(e), true
}

// stableE164 formats a number in E.164, if it has at most 15 digits and
// reading it again gives the same number.
func stableE164(num *phonenumbers.PhoneNumber) (string, bool) {
	e := phonenumbers.Format(num, phonenumbers.E164)
	if len(e) < 6 || len(e) > 16 || e[0] != '+' || !allDigits(e[1:]) { // E.164 has at most 15 digits
		return "", false
	}
	again, err := phonenumbers.Parse(e, "")
	if err != nil || phonenumbers.Format(again, phonenumbers.E164) != e || !phonenumbers.IsPossibleNumber(again) {
		return "", false
	}
	return e, true
}

// fictionalRanges are E.164 prefixes of the ranges regulators reserve for
// drama and examples that libphonenumber does not hold valid, with the
// length of the whole number: Ofcom's 07700 900xxx, ARCEP's 06 39 98 xx xx.
var fictionalRanges = []struct {
	prefix string
	length int
}{
	{"+447700900", 13},
	{"+3363998", 12},
}

// isFictional reports whether an E.164 number is in a range reserved for
// fiction; such numbers are read as valid, so that examples look like real
// offers.
func isFictional(e164 string) bool {
	for _, f := range fictionalRanges {
		if len(e164) == f.length && strings.HasPrefix(e164, f.prefix) {
			return true
		}
	}
	return false
}

// digitGroup is a run of ASCII digits in the normalised text.
type digitGroup struct {
	start, end int // byte offsets; start is at the '+' of "+380"
	plus       bool
}

func (g digitGroup) digits(s string) string {
	if g.plus {
		return s[g.start+1 : g.end]
	}
	return s[g.start:g.end]
}

// digitGroups returns the runs of digits of s outside the taken spans.
func (x *extractor) digitGroups() []digitGroup {
	s := x.v.norm
	var groups []digitGroup
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		g := digitGroup{start: i, end: j}
		if i > 0 && s[i-1] == '+' {
			g.start, g.plus = i-1, true
		}
		if x.free(g.start, g.end) {
			groups = append(groups, g)
		}
		i = j
	}
	return groups
}

// linked reports whether groups a and b are parts of one written number:
// they are separated by at most three spaces, dots, dashes, slashes or
// parentheses, and b does not start a number of its own with '+'.
func linked(s string, a, b digitGroup) bool {
	sep := s[a.end:b.start]
	return !b.plus && len(sep) >= 1 && len(sep) <= 3 && strings.Trim(sep, " .-/()") == ""
}

// breakable reports whether two numbers may be written one after the other
// with sep between them.
func breakable(sep string) bool { return strings.ContainsAny(sep, " /") }

type phoneKey struct {
	digits [maxPhoneDigits]byte
	n      uint8
	plus   bool
}

type phoneResult struct {
	e164      string
	valid, ok bool
}

// parse reads the digits of a candidate number: in international form
// (after '+' or "00") a possible number will do, in national form it must
// be a valid number of the reader's region. After a word such as
// "WhatsApp" (context reports whether there is one), a long number written
// without '+' may also be a valid international one.
func (x *extractor) parse(digits []byte, plus bool, context func() bool) phoneResult {
	k := phoneKey{n: uint8(len(digits)), plus: plus}
	copy(k.digits[:], digits)
	r, ok := x.phone[k]
	if !ok {
		r = x.parseOnce(string(digits), plus)
		if x.phone == nil {
			x.phone = make(map[phoneKey]phoneResult)
		}
		x.phone[k] = r
	}
	if !r.ok && !plus && len(digits) >= 10 && digits[0] != '0' && context() {
		if e, valid, ok := parseInternational(string(digits)); ok && valid {
			r = phoneResult{e, true, true}
		}
	}
	return r
}

// parseOnce reads the digits of a candidate number, in international form or
// in the reader's region.
func (x *extractor) parseOnce(digits string, plus bool) phoneResult {
	var r phoneResult
	switch {
	case plus:
		r.e164, r.valid, r.ok = parseInternational(digits)
	case strings.HasPrefix(digits, "00"):
		r.e164, r.valid, r.ok = parseInternational(digits[2:])
	}
	if !r.ok && !plus && x.region != "" {
		if num, err := phonenumbers.Parse(digits, x.region); err == nil {
			if e, ok := stableE164(num); ok && (phonenumbers.IsValidNumberForRegion(num, x.region) || isFictional(e)) {
				r = phoneResult{e, true, true}
			}
		}
	}
	return r
}

// phones reads phone numbers in national and international form.
func (x *extractor) phones() {
	if !strings.ContainsAny(x.v.norm, "0123456789") {
		return
	}
	s := x.v.norm
	groups := x.digitGroups()
	for i := 0; i < len(groups); {
		j := i + 1
		for j < len(groups) && linked(s, groups[j-1], groups[j]) {
			j++
		}
		x.phoneRun(groups[i:j])
		i = j
	}
}

// phoneRun reads the numbers in a run of linked digit groups: several
// numbers may be written one after the other.
func (x *extractor) phoneRun(run []digitGroup) {
	s, low := x.v.norm, x.v.low
	first, last := run[0], run[len(run)-1]
	if moneyAround(low, first.start, last.end) || bankAccountRun(s, run) {
		return
	}
	var buf [maxPhoneDigits]byte
	for a := 0; a < len(run); {
		if !x.canStart(run, a) {
			a++
			continue
		}
		at, known, ctx := run[a].start, false, false
		context := func() bool {
			if !known {
				known, ctx = true, phoneContext(low, at)
			}
			return ctx
		}
		best, bestEnd := -1, 0
		var bestResult phoneResult
		n := 0
		var endsBuf [maxPhoneDigits]int
		ends := endsBuf[:0]
		for b := a; b < len(run); b++ {
			d := run[b].digits(s)
			if n+len(d) > len(buf) {
				break
			}
			n += len(d)
			ends = append(ends, b)
		}
		// Longest first: a valid number wins, else the longest possible one.
		for k := len(ends) - 1; k >= 0; k-- {
			b := ends[k]
			if b+1 < len(run) && !breakable(s[run[b].end:run[b+1].start]) {
				continue
			}
			end := run[b].end
			if !endOK(s, end) {
				continue
			}
			plus := run[a].plus
			trailingPlus := false
			if !plus && byteAt(s, end) == '+' && !isDigit(byteAt(s, end+1)) {
				plus, trailingPlus = true, true
			}
			m := 0
			for g := a; g <= b; g++ {
				m += copy(buf[m:], run[g].digits(s))
			}
			if m < minPhoneDigits {
				continue
			}
			r := x.parse(buf[:m], plus, context)
			if !r.ok || trailingPlus && !r.valid || notPhone(s, run[a:b+1]) {
				continue
			}
			if trailingPlus {
				end++
			}
			if r.valid {
				best, bestEnd, bestResult = b, end, r
				break
			}
			if best < 0 {
				best, bestEnd, bestResult = b, end, r
			}
		}
		if best < 0 {
			a++
			continue
		}
		start := run[a].start
		if start > 0 && s[start-1] == '(' && strings.Count(s[start:bestEnd], ")") > strings.Count(s[start:bestEnd], "(") && x.free(start-1, start) {
			start--
		}
		x.add(KindPhone, "", bestResult.e164, start, bestEnd)
		a = best + 1
	}
}

// canStart reports whether a number may start at group a of a run.
func (x *extractor) canStart(run []digitGroup, a int) bool {
	s, low := x.v.norm, x.v.low
	g := run[a]
	if a > 0 {
		return breakable(s[run[a-1].end:g.start]) && !refBefore(low, g.start)
	}
	p := g.start
	if p > 0 && s[p-1] == '(' {
		p--
	}
	if g.plus {
		// "+44 …" starts a number whatever stands before it: "Tel+44", "…34+33 …".
		return !refBefore(low, p)
	}
	switch r := textnorm.RuneBefore(s, p); {
	case r < 0:
	case r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '_' || r == '+' || r == '%'):
		return false
	case r == '-' || r == '/' || r == '.' || r == ',' || r == ':' || r == '=':
		q := textnorm.RuneBefore(s, p-1)
		if q >= 0 && q < utf8.RuneSelf && isDigit(byte(q)) {
			return false
		}
		if (r == '-' || r == '/' || r == '=') && q >= 0 && q < utf8.RuneSelf && isASCIILetter(byte(q)) {
			return false
		}
	case unicode.Is(unicode.Sc, r):
		return false
	}
	return !refBefore(low, p)
}

// endOK reports whether a number may end at offset end of s.
func endOK(s string, end int) bool {
	switch c := byteAt(s, end); {
	case c == 0:
		return true
	case isASCIIAlnum(c) || c == '_' || c == '%':
		return false
	case c == '.' || c == ',' || c == ':' || c == '-' || c == '/':
		return !isDigit(byteAt(s, end+1))
	}
	return true
}

// notPhone reports whether digit groups are written like a date, a list of
// years, a range of numbers or of times rather than like a phone number.
func notPhone(s string, gs []digitGroup) bool {
	if gs[0].plus {
		return false
	}
	var buf [maxPhoneDigits]string
	seps := buf[:len(gs)-1]
	for k := range seps {
		seps[k] = s[gs[k].end:gs[k+1].start]
	}
	size := func(k int) int { return gs[k].end - gs[k].start }
	val := func(k int) int {
		v := 0
		for _, c := range []byte(s[gs[k].start:gs[k].end]) {
			v = v*10 + int(c-'0')
			if v > 1e6 {
				break
			}
		}
		return v
	}
	isYear := func(k int) bool { return size(k) == 4 && val(k) >= 1900 && val(k) <= 2099 }
	// Dates with a four-digit year: 12.03.2026, 2026-03-12, 3/12/2026.
	for k := 0; k+2 < len(gs); k++ {
		if seps[k] != seps[k+1] || len(seps[k]) != 1 || !strings.Contains("./-", seps[k]) {
			continue
		}
		a, b := val(k), val(k+1)
		if isYear(k+2) && size(k) <= 2 && size(k+1) <= 2 && a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12) {
			return true
		}
		if isYear(k) && size(k+1) <= 2 && size(k+2) <= 2 && b >= 1 && b <= 12 && val(k+2) >= 1 && val(k+2) <= 31 {
			return true
		}
	}
	// Years: 2024-2026, 1998 2005.
	years := true
	for k := range gs {
		years = years && isYear(k)
	}
	if years && len(gs) >= 2 {
		return true
	}
	// Ranges: 2500-3000, 1 500 - 2 000 written without a currency.
	if len(gs) == 2 && strings.Contains(seps[0], "-") && s[gs[0].start] != '0' && s[gs[1].start] != '0' && size(0) <= 6 && size(1) <= 6 {
		return true
	}
	// Times: 8.00-17.00.
	if len(gs) == 4 && strings.Contains(seps[1], "-") && size(0) <= 2 && size(1) == 2 && size(2) <= 2 && size(3) == 2 &&
		strings.Trim(seps[0], ".:") == "" && seps[0] == seps[2] {
		return true
	}
	return false
}

// bankAccountRun reports whether a run of digit groups is written like a
// bank account number (two digits, then groups of four), which is not a
// phone number however its parts read.
func bankAccountRun(s string, run []digitGroup) bool {
	if len(run) < 5 || run[0].plus {
		return false
	}
	total := 0
	for k, g := range run {
		n := g.end - g.start
		total += n
		if k > 0 && k < len(run)-1 && n != 4 {
			return false
		}
	}
	return total >= 20
}

// Currencies and words for amounts: a number next to one is a price or a
// salary. Short words must be the whole word, longer ones may start it
// ("euros", "рублей").
var (
	moneyWords = setOf("eur", "usd", "gbp", "pln", "zł", "zl", "lei", "ron", "leu", "mdl", "uah", "грн", "try", "tl", "mad",
		"dh", "dhs", "inr", "rs", "ngn", "php", "chf", "czk", "kč", "huf", "ft", "sek", "nok", "dkk", "kr", "aed", "sar",
		"qar", "kwd", "afn", "rub", "руб", "usdt", "btc", "лей", "лев", "₺", "ريال", "ریال", "تومان", "درهم", "دلار",
		"دولار", "يورو", "یورو", "افغانی", "روبل", "جنيه", "دينار", "fee", "cost", "price", "prix", "cena", "цена", "ціна",
		"fiyat", "سعر", "قیمت", "هزینه", "koszt", "coût", "precio", "preț", "pret", "prijs", "kosten")
	moneyStems = []string{"euro", "dollar", "pound", "złot", "zlot", "lira", "dirham", "rupee", "naira", "peso", "рубл",
		"гривн", "гривен", "гривень", "долар", "доллар", "евро", "євро", "salar", "salaire", "salario", "salariu",
		"wynagrodz", "pensj", "зарплат", "заробіт", "зарплат", "оплат", "maaş", "maas", "salaris", "loon", "راتب",
		"حقوق", "دستمزد", "afghani", "tenge", "manat", "shekel", "franc", "forint", "koron", "kuna", "denar", "dinar",
		"rand", "cedi", "shilling", "taka", "ringgit", "baht", "yuan", "юан", "тенге", "сом", "somoni", "сомон", "лар"}
)

func isMoneyWord(w string) bool {
	if w == "" {
		return false
	}
	if moneyWords[w] {
		return true
	}
	for _, st := range moneyStems {
		if strings.HasPrefix(w, st) {
			return true
		}
	}
	return false
}

// moneyAround reports whether a currency sign or word, or a word for an
// amount, stands right before or after low[start:end].
func moneyAround(low string, start, end int) bool {
	if start > 0 && low[start-1] == '(' {
		start--
	}
	j := skipSpacesBack(low, start)
	if r := textnorm.RuneBefore(low, j); r == '%' || r >= 0 && unicode.Is(unicode.Sc, r) {
		return true
	}
	if w, _ := wordBefore(low, start, ":~"); isMoneyWord(w) {
		return true
	}
	j = skipSpaces(low, end)
	if r := textnorm.RuneAt(low, j); r == '%' || r >= 0 && unicode.Is(unicode.Sc, r) {
		return true
	}
	if w, _ := wordAfter(low, end, ""); isMoneyWord(w) {
		return true
	}
	return false
}

// refWords name a reference, an order or a document number: the number
// after one is not a phone number.
var refWords = setOf("ref", "reference", "order", "invoice", "factura", "facture", "commande", "bestelling", "zamówienie",
	"zamowienie", "заказ", "замовлення", "sipariş", "siparis", "id", "code", "kod", "код", "pin", "nip", "pesel", "inn",
	"инн", "iban", "account", "konto", "rachunek", "rachunku", "konta", "счет", "счёт", "рахунок", "passport", "паспорт",
	"pasaport", "paszport", "pașaport", "paspoort", "passeport", "pasaporte", "tracking", "awb", "договор", "договір",
	"contract", "umowa", "kontrakt", "vin", "nif", "bsn", "cnp", "idnp", "ipn", "іпн", "рнокпп", "снилс", "dni",
	"ticket", "booking", "rezerwacja", "reservation", "flight", "рейс", "dossier", "regon", "krs", "ogrn", "огрн", "кпп",
	"kvk", "siret", "siren", "cui", "edrpou", "єдрпоу", "isbn", "issn", "imei", "sku", "ean", "serial")

// refBefore reports whether a reference sign or word stands right before
// offset i of low.
func refBefore(low string, i int) bool {
	j := skipSpacesBack(low, i)
	if j > 0 && low[j-1] == '#' || strings.HasSuffix(low[:j], "№") {
		return true
	}
	w, _ := wordBefore(low, i, ":.-")
	return refWords[w]
}

// phoneWords are words that announce a phone number: after one, a long
// number written without '+' may be an international one.
var phoneWords = []string{"whatsapp", "watsap", "wa", "viber", "telegram", "tel", "phone", "call", "mob", "cell", "gsm",
	"sms", "contact", "mobil", "тел", "звон", "вайбер", "ватсап", "вацап", "вотсап", "телеграм", "номер", "моб", "واتس", "واتساب",
	"اتصل", "هاتف", "رقم", "تماس", "شماره", "موبایل", "تلفن", "téléphone", "tél", "appel", "numéro", "telefon", "numer",
	"nummer", "número", "numero", "llama", "llame", "dzwoń", "zadzwoń", "bel", "ara", "arayın", "iletişim", "sună", "suna",
	// Chinese (WeChat, telephone, mobile, call, contact, number), Urdu
	// (phone, number, call, contact), Pashto (number, telephone, contact),
	// Tigrinya (phone, number, call), Somali, Vietnamese (Zalo, the
	// messenger most used there; phone; call), Portuguese, Albanian and
	// Bulgarian (call).
	"微信", "电话", "電話", "手机", "手機", "致电", "联系", "聯繫", "号码", "號碼",
	"فون", "نمبر", "کال", "رابطہ", "رابطه", "شمېره", "تلیفون", "ټیلیفون", "اړیکه",
	"ስልኪ", "ቁጽሪ", "ደውሉ", "ደውል",
	"taleefan", "telefoon", "lambar", "wac",
	"zalo", "điện thoại", "đt", "sđt", "gọi",
	"ligue", "liga", "contato", "contacto", "thirr", "telefononi", "обади", "обадете"}

// phoneWordsByFirst indexes phoneWords by their first byte.
var phoneWordsByFirst = func() *[256][]string {
	var m [256][]string
	for _, w := range phoneWords {
		m[w[0]] = append(m[w[0]], w)
	}
	return &m
}()

// phoneContext reports whether a word that announces a phone number stands
// in the 30 runes before offset i of low.
func phoneContext(low string, i int) bool {
	for p := textnorm.BackRunes(low, i, 30); p < i; p++ {
		for _, w := range phoneWordsByFirst[low[p]] {
			k := p + len(w)
			// A word of Han stands inside a run of them (请加微信): it
			// needs no boundary before it.
			if strings.HasPrefix(low[p:i], w) && (!isWordRune(textnorm.RuneBefore(low, p)) || textnorm.Unspaced(textnorm.RuneAt(low, p))) && (len(w) > 3 || !isWordRune(textnorm.RuneAt(low, k))) {
				return true
			}
		}
	}
	return false
}
