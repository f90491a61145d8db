package pii

import (
	"forewarn/app/textnorm"
	"sort"
	"strings"
	"unicode/utf8"
)

// kwClass says what a keyword announces.
type kwClass uint16

const (
	kwPassport kwClass = 1 << iota
	kwIDNP             // Moldovan IDNP
	kwRNOKPP           // Ukrainian tax number
	kwIranCode         // Iranian national code
	kwTazkira          // Afghan e-Tazkira
	kwBSN              // Dutch citizen service number
	kwID               // any national identity number
	kwBlock            // contact, order, bank, postcode and money words: a number after them is not an ID
)

// nearRunes is how far, in characters, a keyword may be from the number it announces.
const nearRunes = 40

// contextRunes is how far before a number a blocking word is looked for.
const contextRunes = 30

// keyword is a lower-case word or phrase; a space in it matches up to three
// spaces, hyphens and zero-width non-joiners, or none. A keyword starts at a
// word boundary unless it is written in Arabic script (where "and", "with" and
// "my" attach to the word); whole keywords also end at one.
type keyword struct {
	text  string
	class kwClass
	whole bool
}

// kwHit is where a keyword occurs in the normalised text.
type kwHit struct {
	start, end int
	class      kwClass
}

var keywords = []keyword{
	// Passports.
	{"passport", kwPassport, false},
	{"passeport", kwPassport, false},
	{"paspoort", kwPassport, false},
	{"pasaport", kwPassport, false}, // Spanish pasaporte, Romanian and Turkish pasaport
	{"pașaport", kwPassport, false},
	{"paşaport", kwPassport, false},
	{"passaport", kwPassport, false},
	{"pasport", kwPassport, false},
	{"paszport", kwPassport, false},
	{"reisepass", kwPassport, false},
	{"διαβατήριο", kwPassport, false},
	{"паспорт", kwPassport, false},
	{"загранпаспорт", kwPassport, false},
	{"جواز", kwPassport, false},
	{"گذرنامه", kwPassport, false},
	{"پاسپورت", kwPassport, false},

	// Numbers that are only recognised next to their name.
	{"idnp", kwIDNP | kwID, true},
	{"іпн", kwRNOKPP | kwID, true},
	{"ипн", kwRNOKPP | kwID, true},
	{"інн", kwRNOKPP | kwID, true},
	{"инн", kwRNOKPP | kwID, true},
	{"рнокпп", kwRNOKPP | kwID, false},
	{"ідентифікаційний код", kwRNOKPP | kwID, false},
	{"ідентифікаційний номер", kwRNOKPP | kwID, false},
	{"ідент. код", kwRNOKPP | kwID, false},
	{"податковий номер", kwRNOKPP | kwID, false},
	{"tax number", kwRNOKPP | kwID, false},
	{"tax id", kwRNOKPP | kwID, false},
	{"taxpayer", kwRNOKPP | kwID, false},
	{"کد ملی", kwIranCode | kwID, false},
	{"شماره ملی", kwIranCode | kwID, false},
	{"کارت ملی", kwIranCode | kwID, false},
	{"national code", kwIranCode | kwID, false},
	{"code melli", kwIranCode | kwID, false},
	{"national id", kwIranCode | kwID, false},
	{"تذکره", kwTazkira | kwID, false},
	{"tazkira", kwTazkira | kwID, false},
	{"tazkera", kwTazkira | kwID, false},
	{"tazkirah", kwTazkira | kwID, false},
	{"tazkiro", kwTazkira | kwID, false},
	{"bsn", kwBSN | kwID, true},
	{"burgerservicenummer", kwBSN | kwID, false},
	{"sofinummer", kwBSN | kwID, false},
	{"sofi-nummer", kwBSN | kwID, false},

	// Names of numbers that are recognised by their checksum.
	{"cnp", kwID, true},
	{"cod numeric personal", kwID, false},
	{"pesel", kwID, false},
	{"dni", kwID, true},
	{"nie", kwID, true},
	{"nif", kwID, true},
	{"tckn", kwID, true},
	{"kimlik", kwID, false},
	{"kİmlİk", kwID, false},
	{"id number", kwID, false},
	{"id no", kwID, false},
	{"id card", kwID, false},
	{"identity", kwID, false},
	{"identité", kwID, false},
	{"identidad", kwID, false},
	{"identitate", kwID, false},
	{"dowód", kwID, false},
	{"dowod", kwID, false},
	{"посвідчення", kwID, false},
	{"удостоверени", kwID, false},

	// Words after which a number is a contact, an order, an account, a
	// postcode or an amount.
	{"tel", kwBlock, false},
	{"tél", kwBlock, false},
	{"phone", kwBlock, false},
	{"call", kwBlock, false},
	{"cell", kwBlock, false},
	{"mob", kwBlock, false},
	{"whatsapp", kwBlock, false},
	{"viber", kwBlock, false},
	{"telegram", kwBlock, false},
	{"signal", kwBlock, true},
	{"sms", kwBlock, true},
	{"cep", kwBlock, true},
	{"gsm", kwBlock, true},
	{"телефон", kwBlock, false},
	{"тел", kwBlock, false},
	{"моб", kwBlock, false},
	{"звон", kwBlock, false},
	{"дзвон", kwBlock, false},
	{"вайбер", kwBlock, false},
	{"ватсап", kwBlock, false},
	{"телеграм", kwBlock, false},
	{"هاتف", kwBlock, false},
	{"جوال", kwBlock, false},
	{"واتس", kwBlock, false},
	{"تلفن", kwBlock, false},
	{"موبایل", kwBlock, false},
	{"شماره تماس", kwBlock, false},
	{"order", kwBlock, false},
	{"commande", kwBlock, false},
	{"bestel", kwBlock, false},
	{"pedido", kwBlock, false},
	{"comand", kwBlock, false},
	{"замовлен", kwBlock, false},
	{"заказ", kwBlock, false},
	{"sipariş", kwBlock, false},
	{"zamówien", kwBlock, false},
	{"invoice", kwBlock, false},
	{"factur", kwBlock, false},
	{"rechnung", kwBlock, false},
	{"ref", kwBlock, true},
	{"reference", kwBlock, false},
	{"référence", kwBlock, false},
	{"tracking", kwBlock, false},
	{"booking", kwBlock, false},
	{"réservation", kwBlock, false},
	{"reserva", kwBlock, false},
	{"rezervare", kwBlock, false},
	{"ticket", kwBlock, false},
	{"iban", kwBlock, false},
	{"account", kwBlock, false},
	{"konto", kwBlock, false},
	{"compte", kwBlock, false},
	{"cuenta", kwBlock, false},
	{"rekening", kwBlock, false},
	{"рахун", kwBlock, false},
	{"счет", kwBlock, false},
	{"счёт", kwBlock, false},
	{"hesap", kwBlock, false},
	{"rachun", kwBlock, false},
	{"postcode", kwBlock, false},
	{"postal", kwBlock, false},
	{"zip", kwBlock, true},
	{"plz", kwBlock, true},
	{"cp", kwBlock, true},
	{"code postal", kwBlock, false},
	{"código postal", kwBlock, false},
	{"cod poștal", kwBlock, false},
	{"cod postal", kwBlock, false},
	{"kod pocztowy", kwBlock, false},
	{"posta kodu", kwBlock, false},
	{"індекс", kwBlock, false},
	{"индекс", kwBlock, false},
	{"plate", kwBlock, false},
	{"kenteken", kwBlock, false},
	{"matrícula", kwBlock, false},
	{"plaka", kwBlock, false},
	{"€", kwBlock, false},
	{"$", kwBlock, false},
	{"£", kwBlock, false},
	{"₺", kwBlock, false},
	{"₴", kwBlock, false},
	{"₽", kwBlock, false},
	{"zł", kwBlock, false},
	{"pln", kwBlock, true},
	{"eur", kwBlock, true},
	{"euro", kwBlock, false},
	{"usd", kwBlock, true},
	{"lei", kwBlock, true},
	{"ron", kwBlock, true},
	{"dollar", kwBlock, false},
	{"rubl", kwBlock, false},
	{"roubl", kwBlock, false},
	{"hryvn", kwBlock, false},
	{"zlot", kwBlock, false},
	{"złot", kwBlock, false},
	{"lira", kwBlock, false},
	{"dirham", kwBlock, false},
	{"грн", kwBlock, false},
	{"грив", kwBlock, false},
	{"долар", kwBlock, false},
	{"доллар", kwBlock, false},
	{"درهم", kwBlock, false},
	{"دینار", kwBlock, false},
	{"руб", kwBlock, false},
	{"price", kwBlock, false},
	{"prix", kwBlock, false},
	{"precio", kwBlock, false},
	{"prijs", kwBlock, false},
	{"preț", kwBlock, false},
	{"цена", kwBlock, false},
	{"ціна", kwBlock, false},
	{"fiyat", kwBlock, false},
	{"cena", kwBlock, false},
	{"salary", kwBlock, false},
	{"salaire", kwBlock, false},
	{"salario", kwBlock, false},
	{"salaris", kwBlock, false},
	{"salariu", kwBlock, false},
	{"зарплат", kwBlock, false},
	{"maaş", kwBlock, false},
	{"wynagrodz", kwBlock, false},
	{"تومان", kwBlock, false},
	{"ریال", kwBlock, false},
	{"دلار", kwBlock, false},
	{"افغانی", kwBlock, false},
}

// keywordParts holds each keyword split at its spaces.
var keywordParts = func() [][]string {
	parts := make([][]string, len(keywords))
	for i, k := range keywords {
		parts[i] = strings.Split(k.text, " ")
	}
	return parts
}()

// maxKeywordBytes bounds the length of a keyword as written, with spaces.
const maxKeywordBytes = 96

// keywordsByFirst lists, by their first rune, the keywords other than the
// blocking words.
var keywordsByFirst = func() map[rune][]int {
	m := make(map[rune][]int)
	for i, k := range keywords {
		if k.class != kwBlock {
			r, _ := utf8.DecodeRuneInString(k.text)
			m[r] = append(m[r], i)
		}
	}
	return m
}()

// asciiKeywords is keywordsByFirst for ASCII runes.
var asciiKeywords = func() (a [utf8.RuneSelf][]int) {
	for r, list := range keywordsByFirst {
		if r < utf8.RuneSelf {
			a[r] = list
		}
	}
	return a
}()

// keywordHits finds, once, every keyword other than the blocking words.
func (s *scanner) keywordHits() []kwHit {
	if s.hitsDone {
		return s.hits
	}
	s.hitsDone = true
	t := s.low
	prevWord := false
	for i, r := range t {
		atStart := !prevWord
		prevWord = isWordRune(r)
		if !prevWord || !atStart && !isArabicRune(r) {
			continue
		}
		var cands []int
		if r < utf8.RuneSelf {
			cands = asciiKeywords[r]
		} else {
			cands = keywordsByFirst[r]
		}
		for _, ki := range cands {
			k := keywords[ki]
			if !atStart && !isArabicScript(k.text) {
				continue
			}
			end, ok := matchRest(t, i, keywordParts[ki])
			if !ok || k.whole && isWordRune(textnorm.RuneAt(t, end)) && isWordRune(textnorm.RuneBefore(t, end)) {
				continue
			}
			s.hits = append(s.hits, kwHit{start: i, end: end, class: k.class})
		}
	}
	return s.hits
}

// findKeyword appends the occurrences of keywords[ki] that lie in low[from:to].
func findKeyword(low string, from, to, ki int, hits []kwHit) []kwHit {
	k, parts := keywords[ki], keywordParts[ki]
	first := parts[0]
	arabic := isArabicScript(k.text)
	for i := from; i < to; {
		j := strings.Index(low[i:to], first)
		if j < 0 {
			break
		}
		start := i + j
		i = start + len(first)
		if !arabic && isWordRune(textnorm.RuneBefore(low, start)) && isWordRune(textnorm.RuneAt(low, start)) {
			continue
		}
		end, ok := matchRest(low[:to], start, parts)
		if !ok {
			continue
		}
		if k.whole && isWordRune(textnorm.RuneAt(low, end)) && isWordRune(textnorm.RuneBefore(low, end)) {
			continue
		}
		hits = append(hits, kwHit{start: start, end: end, class: k.class})
	}
	return hits
}

// matchRest matches the parts of a keyword at low[i:].
func matchRest(low string, i int, parts []string) (int, bool) {
	for n, p := range parts {
		if n > 0 {
			i = skipJoiners(low, i)
		}
		if !strings.HasPrefix(low[i:], p) {
			return 0, false
		}
		i += len(p)
	}
	return i, true
}

// skipJoiners skips up to three spaces, hyphens and zero-width non-joiners.
func skipJoiners(s string, i int) int {
	for n := 0; n < 3 && i < len(s); n++ {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '-':
			i++
		case strings.HasPrefix(s[i:], "\u200c"):
			i += len("\u200c")
		default:
			return i
		}
	}
	return i
}

func isArabicScript(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isArabicRune(r)
}

// isArabicRune reports whether r is in the Arabic block, which holds the
// letters of Arabic, Persian, Dari and Pashto.
func isArabicRune(r rune) bool { return r >= 0x0600 && r <= 0x06FF }

// blocked reports whether low[from:to] contains a blocking word.
func (s *scanner) blocked(from, to int) bool {
	if from >= to {
		return false
	}
	var buf [4]kwHit
	for i, k := range keywords {
		if k.class != kwBlock || !strings.Contains(s.low[from:to], keywordParts[i][0]) {
			continue
		}
		if len(findKeyword(s.low, from, to, i, buf[:0])) > 0 {
			return true
		}
	}
	return false
}

// near reports whether a keyword of class c lies within nearRunes characters
// of norm[start:end], with nothing between them that makes the number
// something else: another long number or a blocking word.
func (s *scanner) near(c kwClass, start, end int) bool {
	hits := s.keywordHits()
	// Hits are in order of their start, and no keyword is longer than
	// maxKeywordBytes: skip those that end too far before the number.
	from := sort.Search(len(hits), func(k int) bool {
		return hits[k].start >= start-nearRunes*utf8.UTFMax-maxKeywordBytes
	})
	for _, h := range hits[from:] {
		if h.start > end+nearRunes*utf8.UTFMax {
			break
		}
		if h.class&c == 0 {
			continue
		}
		var from, to int
		switch {
		case h.end <= start:
			from, to = h.end, start
		case h.start >= end:
			from, to = end, h.start
		default:
			continue
		}
		if to-from > nearRunes*utf8.UTFMax || utf8.RuneCountInString(s.norm[from:to]) > nearRunes ||
			hasLongNumber(s.norm[from:to]) || s.blocked(from, to) {
			continue
		}
		return true
	}
	return false
}

// hasLongNumber reports whether s holds five or more digits in a row.
func hasLongNumber(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if textnorm.IsDigit(s[i]) {
			n++
			if n >= 5 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}
