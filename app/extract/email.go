package extract

import (
	"forewarn/app/textnorm"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail returns the canonical form of an e-mail address: local part
// and domain lower-cased, the domain in punycode.
//
// The address must be written as one ("name@domain.example"); the light
// de-obfuscation of "name at domain dot com" is Extract's, not this
// function's. ok is false when raw is not an address.
func NormalizeEmail(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || !utf8.ValidString(s) {
		return "", false
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if len(local) > 64 || strings.ContainsFunc(local, badLocalRune) ||
		local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", false
	}
	local = norm.NFC.String(strings.ToLower(local))
	if strings.ContainsFunc(local, badLocalRune) {
		return "", false
	}
	d, ok := asciiDomain(domain)
	if !ok {
		return "", false
	}
	return local + "@" + d, true
}

// badLocalRune reports whether r may not be part of the local part of an
// address, as written in texts.
func badLocalRune(r rune) bool {
	return r <= ' ' || r == 0x7F || r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) ||
		strings.ContainsRune("@<>()[],;:\"\\", r) || unicode.Is(unicode.Cf, r)
}

// Words that stand for '@' and '.' in addresses written to dodge harvesters.
var (
	atWords  = []string{"at", "arroba", "собака"}
	dotWords = []string{"dot", "punto", "point", "punkt", "punct", "kropka", "nokta", "точка", "крапка", "نقطه", "نقطة"}
)

// mailProviders are the first labels of the registrable domains of common
// free mail providers: "name at gmail.com" is read as an address although
// only its '@' is written as a word.
var mailProviders = setOf("gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "icloud", "mail", "bk", "inbox",
	"list", "yandex", "ya", "ukr", "gmx", "web", "wp", "o2", "interia", "onet", "seznam", "proton", "protonmail", "aol",
	"zoho", "rambler", "orange", "free", "laposte", "msn", "i", "meta", "tutanota", "email")

// atForm is how the '@' of an address is written.
type atForm int

const (
	atDirect  atForm = iota // name@domain
	atSpaced                // name @ domain
	atBracket               // name(at)domain, name [at] domain, name (@) domain
	atWord                  // name at domain
)

// emails reads e-mail addresses, plain or lightly obfuscated.
func (x *extractor) emails() {
	low := x.v.low
	for i := 0; i < len(low); i++ {
		c := low[i]
		var a, b int
		var form atForm
		switch {
		case c == '@':
			a, b, form = i, i+1, atDirect
			switch sb, sa := byteAt(low, i-1) == ' ', byteAt(low, i+1) == ' '; {
			case sb && sa:
				form = atSpaced
			case sb || sa:
				// "Instagram: @handle" is a handle, not half an address.
				if _, cl := closeBracket(low, i-1, i+1); cl < 0 {
					continue
				}
			}
			if o, cl := closeBracket(low, i-1, i+1); o >= 0 {
				a, b, form = o, cl, atBracket
			}
		case c == '(' || c == '[' || c == '{' || c == '<':
			var ok bool
			if a, b, ok = bracketWord(low, i, atWords); !ok {
				continue
			}
			form = atBracket
		case c == ' ':
			w := wordAt(low, i+1, atWords)
			if w == "" || byteAt(low, i+1+len(w)) != ' ' {
				continue
			}
			a, b, form = i+1, i+1+len(w), atWord
		default:
			continue
		}
		if t := x.takenAt(a); t >= 0 {
			i = max(i, t-1)
			continue
		}
		if end, ok := x.email(a, b, form); ok {
			i = end - 1
		}
	}
}

// wordAt returns the word of words that starts at i of s, or "".
func wordAt(s string, i int, words []string) string {
	for _, w := range words {
		if strings.HasPrefix(s[i:], w) {
			return w
		}
	}
	return ""
}

// closeBracket reports whether the '@' or word between o and cl is written
// in brackets, with spaces allowed inside: "(@)", "[ at ]". It returns the
// offsets of the brackets, the closing one's end.
func closeBracket(s string, o, cl int) (int, int) {
	o = skipSpacesBack(s, o+1) - 1
	cl = skipSpaces(s, cl)
	if o < 0 || cl >= len(s) {
		return -1, -1
	}
	k := strings.IndexByte("([{<", s[o])
	if k < 0 || s[cl] != ")]}>"[k] {
		return -1, -1
	}
	return o, cl + 1
}

// bracketWord matches one of words in brackets at s[i:], "(at)" or "[ dot ]",
// and returns its extent.
func bracketWord(s string, i int, words []string) (int, int, bool) {
	j := skipSpaces(s, i+1)
	if j >= len(s) {
		return 0, 0, false
	}
	w := wordAt(s, j, words)
	if w == "" {
		if (words[0] == "at" && s[j] == '@') || (words[0] == "dot" && s[j] == '.') {
			w = s[j : j+1]
		} else {
			return 0, 0, false
		}
	}
	if o, cl := closeBracket(s, i, j+len(w)); o == i {
		return o, cl, true
	}
	return 0, 0, false
}

// dotToken matches a '.' of a domain at s[i:], written as itself or
// obfuscated, and returns where what follows it starts.
func dotToken(s string, i int) (next int, obfuscated, ok bool) {
	switch c := byteAt(s, i); c {
	case '.':
		return i + 1, false, true
	case '(', '[', '{', '<':
		if _, cl, ok := bracketWord(s, i, dotWords); ok {
			return skipSpaces(s, cl), true, true
		}
		return 0, false, false
	case ' ':
		j := skipSpaces(s, i)
		if byteAt(s, j) == '.' && byteAt(s, j+1) == ' ' {
			return skipSpaces(s, j+1), true, true
		}
		if c := byteAt(s, j); c == '(' || c == '[' || c == '{' || c == '<' {
			if _, cl, ok := bracketWord(s, j, dotWords); ok {
				return skipSpaces(s, cl), true, true
			}
			return 0, false, false
		}
		if w := wordAt(s, j, dotWords); w != "" && byteAt(s, j+len(w)) == ' ' {
			return skipSpaces(s, j+len(w)), true, true
		}
	}
	return 0, false, false
}

// isLocalRune reports whether r may be part of the local part of an address
// found in a text; other scripts' letters only next to a written '@'.
func isLocalRune(r rune, ascii bool) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && (isASCIIAlnum(byte(r)) || strings.IndexByte("._%+-", byte(r)) >= 0)
	}
	return !ascii && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// isLabelRune reports whether r may be part of a label of a domain.
func isLabelRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && (isASCIIAlnum(byte(r)) || r == '-')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// email reads the address around an '@' written at low[a:b].
func (x *extractor) email(a, b int, form atForm) (int, bool) {
	low := x.v.low
	// The local part, and the parts before it joined by obfuscated dots.
	q := a
	if form != atDirect {
		q = skipSpacesBack(low, a)
	}
	ascii := form != atDirect
	start := localStart(low, q, ascii)
	if start == q {
		return 0, false
	}
	local := low[start:q]
	for len(local) <= 64 {
		p, ok := dotBefore(low, start)
		if !ok {
			break
		}
		s := localStart(low, p, true)
		if s == p {
			break
		}
		local = low[s:p] + "." + local
		start = s
	}
	local = strings.Trim(local, ".")
	if local == "" || len(local) > 64 || strings.Trim(local, "._%+-") == "" {
		return 0, false
	}
	// The domain: labels joined by dots, written or obfuscated.
	type label struct{ start, end int }
	var labels []label
	var obfuscated []bool
	p := b
	if form != atDirect {
		p = skipSpaces(low, b)
	} else if byteAt(low, p) == ' ' {
		return 0, false
	}
	for len(labels) < 16 {
		e := p
		for e < len(low) {
			r, n := utf8.DecodeRuneInString(low[e:])
			if !isLabelRune(r) {
				break
			}
			e += n
		}
		if e == p {
			break
		}
		labels = append(labels, label{p, e})
		next, obf, ok := dotToken(low, e)
		if !ok || !isLabelRune(textnorm.RuneAt(low, next)) {
			break
		}
		obfuscated = append(obfuscated, obf)
		p = next
	}
	// The longest run of labels that ends with a known top-level domain.
	k := len(labels)
	for ; k >= 2; k-- {
		tld := strings.Trim(low[labels[k-1].start:labels[k-1].end], "-")
		if !isASCIIString(tld) {
			a, err := idna.Lookup.ToASCII(tld)
			if err == nil && knownTLD(a) {
				break
			}
			continue
		}
		if tld != "" && !allDigits(tld) && knownTLD(tld) {
			break
		}
	}
	if k < 2 {
		return 0, false
	}
	parts := make([]string, k)
	anyObfuscated := false
	for j := range k {
		parts[j] = low[labels[j].start:labels[j].end]
		if j > 0 && obfuscated[j-1] {
			anyObfuscated = true
		}
	}
	domain := strings.Join(parts, ".")
	if form == atWord && !anyObfuscated {
		reg, ok := registrable(domain)
		if !ok || !mailProviders[reg[:strings.IndexByte(reg, '.')]] {
			return 0, false
		}
	}
	end := labels[k-1].end
	if r := textnorm.RuneAt(low, end); r == '@' || r == '_' {
		return 0, false
	}
	n, ok := NormalizeEmail(local + "@" + domain)
	if !ok || !x.free(start, end) {
		return 0, false
	}
	x.add(KindEmail, "", n, start, end)
	return end, true
}

// localStart returns where the local part of an address that ends at q starts.
func localStart(low string, q int, ascii bool) int {
	s := q
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(low[:s])
		if !isLocalRune(r, ascii) {
			break
		}
		s -= n
	}
	for s < q && strings.IndexByte(".%+-", low[s]) >= 0 {
		s++
	}
	return s
}

// dotBefore matches an obfuscated '.' that ends at i of low ("[dot]",
// " dot ") and returns where it starts.
func dotBefore(low string, i int) (int, bool) {
	j := skipSpacesBack(low, i)
	if j == 0 {
		return 0, false
	}
	if k := strings.IndexByte(")]}>", low[j-1]); k >= 0 {
		o := strings.LastIndexByte(low[:j-1], "([{<"[k])
		if o < 0 || j-1-o > 12 {
			return 0, false
		}
		if _, cl, ok := bracketWord(low, o, dotWords); ok && cl == j {
			return skipSpacesBack(low, o), true
		}
		return 0, false
	}
	if j == i {
		return 0, false
	}
	for _, w := range dotWords {
		if strings.HasSuffix(low[:j], w) && byteAt(low, j-len(w)-1) == ' ' {
			return skipSpacesBack(low, j-len(w)), true
		}
	}
	return 0, false
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
