package extract_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"

	"forewarn/app/extract"
	"forewarn/app/extract/vectors"
)

var updateVectors = flag.Bool("update", false, "rewrite the outputs of vectors/vectors.json from package extract")

const vectorsPath = "vectors/vectors.json"

// normalizeVector computes what the server stores for a vector's input, the
// way service.NormalizeIndicator does: the stored kind, the normalised form
// and its SHA-256.
func normalizeVector(v vectors.Vector) vectors.Vector {
	out := vectors.Vector{Kind: v.Kind, Platform: v.Platform, Input: v.Input, Country: v.Country}
	kind := v.Kind
	var n string
	var ok bool
	switch v.Kind {
	case "phone":
		var regions []string
		if v.Country != "" {
			regions = []string{v.Country}
		}
		n, ok = extract.NormalizePhone(v.Input, regions...)
	case "email":
		n, ok = extract.NormalizeEmail(v.Input)
	case "link":
		var k extract.Kind
		k, _, n, ok = extract.NormalizeLink(v.Input)
		kind = string(k)
	case "social":
		n, ok = extract.NormalizeHandle(v.Platform, v.Input)
	case "bank_account":
		n, ok = extract.NormalizeIBAN(v.Input)
	case "company":
		n = extract.FoldName(v.Input)
		ok = n != ""
	}
	if !ok || n == "" {
		return out
	}
	sum := sha256.Sum256([]byte(n))
	out.Accepted, out.StoredKind, out.Normalized, out.SHA256 = true, kind, n, hex.EncodeToString(sum[:])
	return out
}

// TestVectors checks every vector against package extract; with -update it
// rewrites the outputs instead.
func TestVectors(t *testing.T) {
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	if *updateVectors {
		for i, v := range f.Vectors {
			f.Vectors[i] = normalizeVector(v)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vectorsPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(f.Vectors) < 150 {
		t.Errorf("%d vectors, want at least 150", len(f.Vectors))
	}
	kinds := map[string]int{}
	for _, v := range f.Vectors {
		kinds[v.Kind]++
		if got := normalizeVector(v); got != v {
			t.Errorf("vector %s %q (platform %q, country %q):\n code    %+v\n vectors %+v", v.Kind, v.Input, v.Platform, v.Country, got, v)
		}
	}
	for _, k := range []string{"phone", "email", "link", "social", "bank_account", "company"} {
		if kinds[k] < 10 {
			t.Errorf("%d vectors of kind %s, want at least 10", kinds[k], k)
		}
	}
}

// The reference implementation below follows docs/indicators.md step by
// step, without package extract or textnorm, as a partner would write it
// in another language with an IDNA library, the Public Suffix List and
// Unicode normalisation. It proves that the document is enough to
// reproduce the server's hashes.

// TestVectorsReference compares the reference implementation with the
// vectors, for every kind but phone numbers in national form (which need
// libphonenumber's metadata) and links to messengers and social networks.
func TestVectorsReference(t *testing.T) {
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	ibanLengths, err := refIBANLengths()
	if err != nil {
		t.Fatal(err)
	}
	if len(ibanLengths) < 80 {
		t.Errorf("%d IBAN lengths in the document", len(ibanLengths))
	}
	checked := map[string]int{}
	for _, v := range f.Vectors {
		var got string
		var ok bool
		switch v.Kind {
		case "phone":
			// Only the reading of the digits (step 1) is reproduced here:
			// international numbers that libphonenumber keeps as written.
			if v.Country != "" || !v.Accepted || strings.Contains(v.Input, "(0)") {
				continue
			}
			got, ok = refPhoneDigits(v.Input)
		case "email":
			got, ok = refEmail(v.Input)
		case "link":
			var skip bool
			got, ok, skip = refLink(v.Input)
			if skip || v.Accepted && v.StoredKind != "link" {
				continue
			}
		case "social":
			got, ok = refHandle(v.Platform, v.Input)
		case "bank_account":
			got, ok = refIBAN(v.Input, ibanLengths)
		case "company":
			got = refFoldName(v.Input)
			ok = got != ""
		default:
			t.Fatalf("unknown kind %q", v.Kind)
		}
		checked[v.Kind]++
		if ok != v.Accepted {
			t.Errorf("reference %s %q: accepted %v (%q), vector says %v", v.Kind, v.Input, ok, got, v.Accepted)
			continue
		}
		if !ok {
			continue
		}
		sum := sha256.Sum256([]byte(got))
		if got != v.Normalized || hex.EncodeToString(sum[:]) != v.SHA256 {
			t.Errorf("reference %s %q = %q, vector says %q", v.Kind, v.Input, got, v.Normalized)
		}
	}
	t.Logf("checked against the reference: %v", checked)
	for _, k := range []string{"phone", "email", "link", "social", "bank_account", "company"} {
		if checked[k] < 10 {
			t.Errorf("only %d vectors of kind %s checked against the reference", checked[k], k)
		}
	}
}

// refTextFold is the text fold of section 2; removed code points are -1.
func refTextFold(c rune) rune {
	switch {
	case c >= 0xFF01 && c <= 0xFF5E:
		return c - 0xFEE0
	case c == 0x00A0, c == 0x1680, c >= 0x2000 && c <= 0x200A, c == 0x202F, c == 0x205F, c == 0x3000:
		return ' '
	case c == 0x0085, c == 0x2028, c == 0x2029:
		return '\n'
	case c >= 0x2010 && c <= 0x2015, c == 0x2212, c == 0xFE58, c == 0xFE63:
		return '-'
	case c == 0x00AD, c == 0x061C, c == 0x180E, c >= 0x200B && c <= 0x200F, c >= 0x202A && c <= 0x202E,
		c >= 0x2060 && c <= 0x2064, c >= 0x2066 && c <= 0x2069, c >= 0xFE00 && c <= 0xFE0F, c == 0xFEFF:
		return -1
	case c == 0x066B, c == 0x2024, c == 0x3002, c == 0xFE52, c == 0xFF61:
		return '.'
	case c == 0x060C, c == 0x066C, c == 0xFE50:
		return ','
	case c == 0xFE6B:
		return '@'
	case c == 0xFE62:
		return '+'
	case c >= 0x80 && unicode.Is(unicode.Nd, c):
		// Unicode lays out each script's decimal digits as runs of ten.
		zero := c
		for unicode.Is(unicode.Nd, zero-1) && (c-zero) < 9 {
			zero--
		}
		return '0' + (c-zero)%10
	}
	return c
}

// refPhoneDigits is step 1 of section 3, giving "+digits".
func refPhoneDigits(in string) (string, bool) {
	var digits []byte
	plus := false
	for _, c := range in {
		f := refTextFold(c)
		switch {
		case f >= '0' && f <= '9':
			digits = append(digits, byte(f))
		case f == '+' && len(digits) == 0 && !plus:
			plus = true
		case f == -1 || strings.ContainsRune(" \t.-()/", f):
		default:
			return "", false
		}
	}
	if !plus {
		if len(digits) < 2 || string(digits[:2]) != "00" {
			return "", false
		}
		digits = digits[2:]
	}
	return "+" + string(digits), len(digits) >= 5 && len(digits) <= 15 && digits[0] != '0'
}

// refIDNAHost is idna_host of section 2.
func refIDNAHost(d string) (string, bool) {
	if !utf8.ValidString(d) || strings.ContainsRune(d, utf8.RuneError) {
		return "", false
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", false
	}
	a = strings.ToLower(a)
	labels := strings.Split(a, ".")
	if len(a) > 253 || len(labels) < 2 {
		return "", false
	}
	last := labels[len(labels)-1]
	if strings.Trim(last, "0123456789") == "" {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "", false
		}
	}
	if strings.Contains(a, "xn--") {
		if again, err := idna.Lookup.ToASCII(a); err != nil || again != a {
			return "", false
		}
	}
	return a, true
}

// refEmail is section 4.
func refEmail(in string) (string, bool) {
	s := strings.TrimSpace(in)
	at := strings.LastIndex(s, "@")
	if !utf8.ValidString(s) || at <= 0 || at == len(s)-1 {
		return "", false
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	bad := func(c rune) bool {
		return c <= ' ' || c == 0x7F || c == utf8.RuneError || unicode.IsSpace(c) || unicode.Is(unicode.Cc, c) ||
			unicode.Is(unicode.Cf, c) || strings.ContainsRune(`@<>()[],;:"\`, c)
	}
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") || strings.ContainsFunc(local, bad) {
		return "", false
	}
	local = norm.NFC.String(strings.Map(unicode.ToLower, local))
	if strings.ContainsFunc(local, bad) {
		return "", false
	}
	d, ok := refIDNAHost(domain)
	if !ok {
		return "", false
	}
	return local + "@" + d, true
}

// refPercentCanon is pcanon of section 2.
func refPercentCanon(s string) string {
	const hexDigits = "0123456789ABCDEF"
	isHex := func(i int) bool { return i < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[i]) >= 0 }
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && isHex(i+1) && isHex(i+2) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if u := byte(v); 'a' <= u && u <= 'z' || 'A' <= u && u <= 'Z' || '0' <= u && u <= '9' || strings.IndexByte("-._~", u) >= 0 {
				b.WriteByte(u)
			} else {
				b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
			}
			i += 2
			continue
		}
		if c == '%' || c <= 0x20 || c >= 0x7F || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// refPlatformDomains are the registrable domains of step 12 of section 5.
var refPlatformDomains = "wa.me t.me telegram.me telegram.dog tiktok.com linkedin.com whatsapp.com instagram.com instagr.am facebook.com fb.com fb.me m.me x.com twitter.com vk.com vk.ru vkontakte.ru"

// refSchemePattern is a URI scheme.
var refSchemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// refLink is section 5 for ordinary links; skip is true for what it does
// not reproduce (mailto:, app schemes, addresses, messengers and social
// networks).
func refLink(in string) (normalized string, ok, skip bool) {
	var b strings.Builder
	for _, c := range in {
		if f := refTextFold(c); f != -1 {
			b.WriteRune(f)
		}
	}
	s := strings.TrimSpace(b.String())
	if s == "" || !utf8.ValidString(s) || strings.ContainsFunc(s, func(c rune) bool { return c <= ' ' || c == 0x7F || unicode.IsSpace(c) }) {
		return "", false, false
	}
	scheme, rest := "", s
	if i := strings.Index(s, "://"); i > 0 && refSchemePattern.MatchString(s[:i]) {
		scheme, rest = strings.ToLower(s[:i]), s[i+3:]
	} else if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		return "", false, true
	}
	rest, _, _ = strings.Cut(rest, "#")
	switch scheme {
	case "", "http", "https", "hxxp", "hxxps":
	case "viber", "whatsapp", "tg":
		return "", false, true
	default:
		return "", false, false
	}
	before, query, _ := strings.Cut(rest, "?")
	authority, path := before, ""
	if i := strings.Index(before, "/"); i >= 0 {
		authority, path = before[:i], before[i:]
	}
	if scheme == "" && strings.Contains(authority, "@") {
		return "", false, true
	}
	host := authority[strings.LastIndex(authority, "@")+1:]
	if strings.HasPrefix(host, "[") {
		end := strings.Index(host, "]")
		if end < 0 {
			return "", false, false
		}
		ip := net.ParseIP(host[1:end])
		if ip == nil || ip.To4() != nil {
			return "", false, false
		}
		host = "[" + ip.String() + "]"
	} else {
		if i := strings.LastIndex(host, ":"); i >= 0 {
			if port := host[i+1:]; port == "" || strings.Trim(port, "0123456789") != "" {
				return "", false, false
			}
			host = host[:i]
		}
		host = strings.TrimSuffix(host, ".")
		if host == "" || len(host) > 253 {
			return "", false, false
		}
		if ip := net.ParseIP(host); ip != nil && ip.To4() != nil && strings.Count(host, ".") == 3 {
			host = ip.String()
		} else if host, ok = refIDNAHost(host); !ok {
			return "", false, false
		}
	}
	reg := host
	if net.ParseIP(strings.Trim(host, "[]")) == nil {
		var err error
		if reg, err = publicsuffix.EffectiveTLDPlusOne(host); err != nil {
			return "", false, false
		}
		if slices.Contains(strings.Fields(refPlatformDomains), reg) {
			return "", false, true
		}
	}
	path = strings.TrimRight(refPercentCanon(path), "/")
	var kept []string
	for _, p := range strings.FieldsFunc(query, func(c rune) bool { return c == '&' || c == ';' }) {
		p = refPercentCanon(p)
		key, _, _ := strings.Cut(p, "=")
		k, err := url.PathUnescape(key)
		if err != nil {
			k = key
		}
		k = strings.ToLower(k)
		if key == "" || strings.HasPrefix(k, "utm_") || slices.Contains(strings.Fields("fbclid gclid igshid igsh si ref ref_src mc_cid mc_eid _ga yclid s feature"), k) {
			continue
		}
		kept = append(kept, p)
	}
	slices.Sort(kept)
	kept = slices.Compact(kept)
	n := reg + path
	if len(kept) > 0 {
		n += "?" + strings.Join(kept, "&")
	}
	return n, true, false
}

// refHandle is section 6.
func refHandle(platform, handle string) (string, bool) {
	p := strings.ToLower(strings.TrimSpace(platform))
	aliases := map[string]string{"twitter": "x", "fb": "facebook", "ig": "instagram", "tg": "telegram", "vkontakte": "vk", "wa": "whatsapp"}
	if a, ok := aliases[p]; ok {
		p = a
	}
	rules := map[string]struct {
		extra    string
		min, max int
	}{
		"facebook": {".-_", 1, 64}, "instagram": {"._", 1, 30}, "telegram": {"_", 4, 32}, "tiktok": {"._", 2, 24},
		"whatsapp": {"._", 3, 35}, "viber": {"._", 3, 32}, "x": {"_", 1, 15}, "vk": {"._", 2, 32}, "linkedin": {"-_", 3, 100},
	}
	rule, ok := rules[p]
	if !ok {
		return "", false
	}
	h := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	allDigits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	if p == "facebook" {
		if id, isID := strings.CutPrefix(h, "id:"); isID || allDigits(h) {
			if !isID {
				id = h
			}
			if !allDigits(id) || len(id) > 20 {
				return "", false
			}
			return "facebook:id:" + id, true
		}
	}
	if len(h) < rule.min || len(h) > rule.max || h[0] == '.' || h[0] == '-' {
		return "", false
	}
	alnum := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			alnum = true
		case strings.IndexByte(rule.extra, c) < 0:
			return "", false
		}
	}
	return p + ":" + h, alnum
}

// refIBANLengths reads the table of IBAN lengths of section 7 from the
// document itself.
func refIBANLengths() (map[string]int, error) {
	doc, err := os.ReadFile("../../docs/indicators.md")
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`(?m)^IBAN lengths: (.*)\.$`).FindSubmatch(doc)
	if m == nil {
		return nil, errors.New("no line of IBAN lengths in docs/indicators.md")
	}
	lengths := map[string]int{}
	for _, pair := range strings.Split(string(m[1]), ", ") {
		code, n, _ := strings.Cut(pair, " ")
		if lengths[code], err = strconv.Atoi(n); err != nil {
			return nil, fmt.Errorf("IBAN length %q: %w", pair, err)
		}
	}
	return lengths, nil
}

// refIBAN is section 7.
func refIBAN(in string, lengths map[string]int) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c == ' ' || c == '\t' || c == '-':
		case '0' <= c && c <= '9' || 'A' <= c && c <= 'Z':
			b.WriteByte(c)
		case 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		default:
			return "", false
		}
	}
	s := b.String()
	if len(s) < 15 || len(s) > 34 || lengths[s[:2]] != len(s) || strings.Trim(s[2:4], "0123456789") != "" {
		return "", false
	}
	rem := 0
	for _, c := range s[4:] + s[:4] {
		if c >= 'A' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return s, rem == 1
}

// refNameDropped are the ASCII code points section 8 drops without a space.
const refNameDropped = ".,&'`_"

// refFoldName is section 8.
func refFoldName(in string) string {
	var out strings.Builder
	pending := false
	letter := func(s string) {
		if pending && out.Len() > 0 {
			out.WriteByte(' ')
		}
		pending = false
		out.WriteString(s)
	}
	table := map[rune]string{'ı': "i", 'ß': "ss", 'œ': "oe", 'æ': "ae", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th",
		'ħ': "h", 'ŧ': "t", 'ŋ': "n", 'ĸ': "k", 'ſ': "s", 'ς': "σ", 'ي': "ی", 'ى': "ی", 'ك': "ک", 'ة': "ه"}
	var fold func(c rune, depth int)
	fold = func(c rune, depth int) {
		if c < 0x80 {
			switch {
			case 'A' <= c && c <= 'Z':
				letter(string(c + 'a' - 'A'))
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				letter(string(c))
			case strings.ContainsRune(refNameDropped, c):
			default:
				pending = true
			}
			return
		}
		if strings.ContainsRune("’‘ʼ´ʻ\u0640·・", c) {
			return
		}
		if f := refTextFold(c); f != c {
			if f != -1 {
				fold(f, depth)
			}
			return
		}
		if d := norm.NFKD.String(string(c)); d != string(c) && depth < 3 {
			for _, x := range d {
				fold(x, depth+1)
			}
			return
		}
		if unicode.In(c, unicode.Mn, unicode.Mc, unicode.Me) {
			return
		}
		if !unicode.IsLetter(c) && !unicode.Is(unicode.Nd, c) {
			pending = true
			return
		}
		l := unicode.ToLower(c)
		if s, ok := table[l]; ok {
			letter(s)
			return
		}
		if l != c {
			fold(l, depth+1)
			return
		}
		letter(string(c))
	}
	for _, c := range in {
		fold(c, 0)
	}
	return out.String()
}
