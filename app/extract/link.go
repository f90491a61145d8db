package extract

import (
	"forewarn/app/textnorm"
	"net"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// trackingParams are query parameters that say where a click came from, not
// what the link points to.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "igshid": true, "igsh": true, "si": true,
	"ref": true, "ref_src": true, "mc_cid": true, "mc_eid": true, "_ga": true,
	"yclid": true, "s": true, "feature": true,
}

// reservedTLDs are the names RFC 2606 reserves for examples and tests; they
// are not in the public suffix list, but examples are written with them.
var reservedTLDs = map[string]bool{"example": true, "test": true, "invalid": true}

// NormalizeLink returns the canonical form of a web link, with or without a scheme.
//
// A link to a messenger chat or a social profile is what it points to: a
// KindPhone with an E.164 number (wa.me/447700900123, viber://chat?number=…)
// or a KindSocial with a platform and "platform:handle" (t.me/handle,
// instagram.com/handle); a mailto: link, or an address written where a link
// was expected, is a KindEmail. Any other link is a KindLink, normalised to
// its host in lower case and punycode reduced to the registrable domain
// (except the other subdomains of a messenger or social network, such as
// vm.tiktok.com or chat.whatsapp.com), then the path (case kept, trailing
// slash trimmed) and the query without tracking parameters, the others
// sorted; scheme, port, user and fragment are dropped. ok is false when raw
// is not a link to a host.
func NormalizeLink(raw string) (kind Kind, platform, normalized string, ok bool) {
	s := strings.TrimSpace(newView(raw).norm)
	if s == "" || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7F || unicode.IsSpace(r) }) {
		return "", "", "", false
	}
	scheme, rest := "", s
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		scheme, rest = strings.ToLower(s[:i]), s[i+3:]
	} else if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		addr, _, _ := strings.Cut(s[7:], "?")
		e, ok := NormalizeEmail(pctDecode(addr))
		if !ok {
			return "", "", "", false
		}
		return KindEmail, "", e, true
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	switch scheme {
	case "", "http", "https", "hxxp", "hxxps":
	case "viber", "whatsapp", "tg":
		return appLink(scheme, rest)
	default:
		return "", "", "", false
	}
	authority, path, query := splitLink(rest)
	if scheme == "" && strings.Contains(authority, "@") {
		if path != "" || query != "" {
			return "", "", "", false
		}
		if e, ok := NormalizeEmail(authority); ok {
			return KindEmail, "", e, true
		}
		return "", "", "", false
	}
	host, ok := linkHost(authority)
	if !ok {
		return "", "", "", false
	}
	reg := host
	if !isIPHost(host) {
		if reg, ok = registrable(host); !ok {
			return "", "", "", false
		}
	}
	path = strings.TrimRight(canonPercent(path), "/")
	query = canonQuery(query)
	if k, p, n, ok := platformLink(host, reg, path, query); ok {
		return k, p, n, true
	}
	if known, plain := platformSub(reg, subdomain(host, reg)); known && !plain {
		// On a platform, a subdomain is part of what a link points to:
		// vm.tiktok.com/… is a short link, chat.whatsapp.com/… an invitation.
		reg = host
	}
	n := reg + path
	if query != "" {
		n += "?" + query
	}
	return KindLink, "", n, true
}

func isScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isASCIIAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// splitLink splits a link without scheme and fragment into authority, path
// and query.
func splitLink(s string) (authority, path, query string) {
	s, query, _ = strings.Cut(s, "?")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:], query
	}
	return s, "", query
}

// linkHost returns the host of an authority, lower-cased and in punycode,
// without user and port.
func linkHost(authority string) (string, bool) {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	host := authority
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		ip := net.ParseIP(host[1:end])
		if ip == nil || ip.To4() != nil {
			return "", false
		}
		return "[" + ip.String() + "]", true
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		if !allDigits(host[i+1:]) {
			return "", false
		}
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return "", false
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() != nil && strings.Count(host, ".") == 3 {
		return ip.String(), true
	}
	return asciiDomain(host)
}

// asciiDomain returns a domain name in lower case and punycode, if it has
// at least two labels and a top-level domain that is not a number, and
// reads the same when converted again.
func asciiDomain(d string) (string, bool) {
	if !utf8.ValidString(d) || strings.ContainsRune(d, utf8.RuneError) {
		return "", false
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil || len(a) > 253 {
		return "", false
	}
	a = strings.ToLower(a)
	labels := strings.Split(a, ".")
	if len(labels) < 2 || allDigits(labels[len(labels)-1]) {
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

func isIPHost(h string) bool {
	return strings.HasPrefix(h, "[") || net.ParseIP(h) != nil
}

// registrable returns the registrable domain of a host: its public suffix
// and one label more.
func registrable(host string) (string, bool) {
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	return reg, true
}

// knownTLD reports whether a lower-case top-level domain, in punycode, is in
// the public suffix list or reserved for examples.
func knownTLD(tld string) bool {
	if reservedTLDs[tld] {
		return true
	}
	s, icann := publicsuffix.PublicSuffix("x." + tld)
	return icann && s == tld
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isUnreserved(c byte) bool {
	return isASCIIAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

// needsEscape reports whether a byte of a path or query is written
// percent-encoded in the canonical form.
func needsEscape(c byte) bool {
	return c <= ' ' || c >= 0x7F || strings.IndexByte("\"<>\\^`{|}", c) >= 0
}

// canonPercent writes a path or query in one way: escapes of unreserved
// characters decoded, other escapes in upper case, bytes that may not appear
// in a link (non-ASCII ones included) escaped.
func canonPercent(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = s[i] != '%' && !needsEscape(s[i])
	}
	if clean {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hexDigits[v>>4])
				b.WriteByte(hexDigits[v&15])
			}
			i += 2
		case c == '%' || needsEscape(c):
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// pctDecode decodes the escapes of s; '+' stays as it is.
func pctDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// canonQuery drops tracking and empty parameters and sorts the others.
func canonQuery(q string) string {
	if q == "" {
		return ""
	}
	params := strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' })
	kept := params[:0]
	for _, p := range params {
		p = canonPercent(p)
		key, _, _ := strings.Cut(p, "=")
		if key == "" {
			continue
		}
		k := strings.ToLower(pctDecode(key))
		if strings.HasPrefix(k, "utm_") || trackingParams[k] {
			continue
		}
		kept = append(kept, p)
	}
	slices.Sort(kept)
	kept = slices.Compact(kept)
	return strings.Join(kept, "&")
}

// queryValue returns the decoded value of the first parameter named key.
func queryValue(q, key string) string {
	for _, p := range strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(pctDecode(k), key) {
			return pctDecode(v)
		}
	}
	return ""
}

// phoneParam reads an international number from a link parameter, written
// with or without '+'.
func phoneParam(v string) (string, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "+")
	v = strings.TrimPrefix(strings.TrimLeft(v, " "), "00")
	if v == "" || strings.ContainsAny(v, "+") {
		return "", false
	}
	return NormalizePhone("+" + v)
}

// appLink reads a link of a messenger's own scheme.
func appLink(scheme, rest string) (Kind, string, string, bool) {
	target, query, _ := strings.Cut(rest, "?")
	target = strings.ToLower(strings.Trim(target, "/"))
	switch {
	case scheme == "viber" && (target == "chat" || target == "add" || target == "contact"):
		if p, ok := phoneParam(queryValue(query, "number")); ok {
			return KindPhone, "", p, true
		}
	case scheme == "whatsapp" && target == "send":
		if p, ok := phoneParam(queryValue(query, "phone")); ok {
			return KindPhone, "", p, true
		}
	case scheme == "tg" && target == "resolve":
		if h, ok := NormalizeHandle("telegram", queryValue(query, "domain")); ok {
			return KindSocial, "telegram", h, true
		}
	}
	return "", "", "", false
}

// Reserved first path segments: pages of a platform that are not a profile.
var (
	telegramReserved  = setOf("joinchat", "addstickers", "addemoji", "addtheme", "addlist", "share", "proxy", "socks", "c", "iv", "login", "setlanguage", "bg", "invoice", "boost", "contact", "k", "a", "z", "m")
	instagramReserved = setOf("p", "reel", "reels", "tv", "stories", "explore", "accounts", "direct", "about", "legal", "developer", "web", "challenge", "graphql", "api", "static", "emails", "privacy", "terms", "session", "oauth", "s", "ar", "create", "lite", "download", "help")
	facebookReserved  = setOf("groups", "events", "marketplace", "watch", "photo", "photo.php", "photos", "story.php", "permalink.php", "share", "sharer", "sharer.php", "login", "login.php", "help", "policies", "privacy", "hashtag", "reel", "reels", "gaming", "fundraisers", "notes", "ads", "business", "settings", "messages", "l.php", "dialog", "plugins", "home.php", "search", "friends", "media", "video.php", "bookmarks", "stories", "legal", "terms", "about", "careers", "recover", "r.php", "tr", "pages", "people", "profile.php", "pg", "public", "places", "directory", "events.php", "jobs", "donate", "live", "campaign", "checkpoint", "reg", "signup", "home", "latest", "notifications", "messenger_media", "sharer")
	xReserved         = setOf("home", "i", "search", "hashtag", "intent", "share", "explore", "settings", "login", "logout", "messages", "notifications", "compose", "tos", "privacy", "signup", "account", "download", "who_to_follow", "jobs", "en")
	vkReserved        = setOf("feed", "im", "search", "settings", "login", "away.php", "share.php", "friends", "groups", "video", "music", "audio", "photos", "apps", "market", "docs", "support", "about", "terms", "privacy", "join", "restore", "clips")
	platformSubs      = setOf("", "www", "m", "mobile", "web", "mbasic", "touch", "api")
)

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// subdomain returns the labels of host before its registrable domain reg.
func subdomain(host, reg string) string {
	return strings.TrimSuffix(strings.TrimSuffix(host, reg), ".")
}

// platformSub reports whether reg is the domain of a messenger or social
// network, and whether sub is one of its plain subdomains ("www", "m"),
// under which links read as without one.
func platformSub(reg, sub string) (known, plain bool) {
	switch reg {
	case "wa.me", "t.me", "telegram.me", "telegram.dog":
		return true, sub == "" || sub == "www"
	case "tiktok.com":
		return true, sub == "" || sub == "www" || sub == "m"
	case "linkedin.com":
		return true, platformSubs[sub] || len(sub) == 2 && isASCIILetter(sub[0]) && isASCIILetter(sub[1])
	case "whatsapp.com", "instagram.com", "instagr.am", "facebook.com", "fb.com", "fb.me", "m.me",
		"x.com", "twitter.com", "vk.com", "vk.ru", "vkontakte.ru":
		return true, platformSubs[sub]
	}
	return false, false
}

// platformLink reads a link to a messenger chat or a social profile.
func platformLink(host, reg, path, query string) (Kind, string, string, bool) {
	sub := subdomain(host, reg)
	known, plain := platformSub(reg, sub)
	if !known {
		return "", "", "", false
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	seg0, seg1 := segs[0], ""
	if len(segs) > 1 {
		seg1 = segs[1]
	}
	low0 := strings.ToLower(seg0)
	social := func(platform, handle string) (Kind, string, string, bool) {
		if h, ok := NormalizeHandle(platform, handle); ok {
			return KindSocial, platform, h, true
		}
		return "", "", "", false
	}
	if !plain {
		// handle.t.me is the profile of a Telegram handle.
		if (reg == "t.me" || reg == "telegram.me") && path == "" && query == "" && !strings.Contains(sub, ".") {
			return social("telegram", sub)
		}
		return "", "", "", false
	}
	switch reg {
	case "wa.me":
		if p, ok := phoneParam(seg0); ok && len(segs) == 1 {
			return KindPhone, "", p, true
		}
	case "whatsapp.com":
		if low0 == "send" && len(segs) == 1 {
			if p, ok := phoneParam(queryValue(query, "phone")); ok {
				return KindPhone, "", p, true
			}
		}
	case "t.me", "telegram.me", "telegram.dog":
		if seg0 == "" {
			break
		}
		if strings.HasPrefix(seg0, "+") {
			if p, ok := phoneParam(seg0); ok && len(segs) == 1 {
				return KindPhone, "", p, true
			}
			break
		}
		if low0 == "s" {
			return social("telegram", seg1)
		}
		if !telegramReserved[low0] {
			return social("telegram", seg0)
		}
	case "instagram.com", "instagr.am":
		if seg0 != "" && !instagramReserved[low0] {
			return social("instagram", seg0)
		}
	case "facebook.com", "fb.com", "fb.me", "m.me":
		switch {
		case low0 == "profile.php" && len(segs) == 1:
			if id := queryValue(query, "id"); allDigits(id) {
				return social("facebook", "id:"+id)
			}
		case (low0 == "people" || low0 == "pages") && len(segs) >= 3 && allDigits(segs[2]):
			return social("facebook", "id:"+segs[2])
		case low0 == "pg" && seg1 != "":
			return social("facebook", seg1)
		case seg0 != "" && !facebookReserved[low0]:
			return social("facebook", seg0)
		}
	case "tiktok.com":
		if strings.HasPrefix(seg0, "@") {
			return social("tiktok", seg0)
		}
	case "x.com", "twitter.com":
		if seg0 != "" && !xReserved[low0] {
			return social("x", seg0)
		}
	case "vk.com", "vk.ru", "vkontakte.ru":
		if seg0 != "" && !vkReserved[low0] && !vkContentPage(low0) {
			return social("vk", seg0)
		}
	case "linkedin.com":
		if low0 == "in" && seg1 != "" {
			return social("linkedin", seg1)
		}
	}
	return "", "", "", false
}

// vkContentPage reports whether a VK path is a post, photo or other content
// page rather than a profile.
func vkContentPage(seg string) bool {
	for _, p := range []string{"wall", "photo", "video", "album", "audio", "topic", "doc", "note", "clip", "story", "poll", "market", "page-"} {
		if strings.HasPrefix(seg, p) && len(seg) > len(p) && (isDigit(seg[len(p)]) || seg[len(p)] == '-' || p == "page-") {
			return true
		}
	}
	return false
}

// noiseLinks are sites that the text of an offer names without pointing to
// anyone ("write to us on facebook.com"); alone, without a path, they are
// not indicators.
var noiseLinks = setOf("facebook.com", "instagram.com", "t.me", "telegram.org", "telegram.me", "wa.me", "whatsapp.com",
	"tiktok.com", "x.com", "twitter.com", "vk.com", "linkedin.com", "google.com", "gmail.com", "youtube.com",
	"viber.com", "olx.pl", "olx.ua", "olx.ro")

// isHostByte reports whether an ASCII byte may be part of a host name.
func isHostByte(c byte) bool { return isASCIIAlnum(c) || c == '-' || c == '.' }

// isHostRune reports whether r may be part of a host name, internationalised
// ones included.
func isHostRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && isHostByte(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isLinkRune reports whether r may be part of the path or query of a link
// written in a text.
func isLinkRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r > ' ' && r != 0x7F && !strings.ContainsRune("<>\"`{}|\\^", r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// hostEnd returns where the host name that starts at i of s ends.
func hostEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isHostRune(r) {
			break
		}
		i += n
	}
	return i
}

// linkRest returns where a link whose host ends at i of s ends: after a
// port, a path, a query and a fragment, without the punctuation that ends a
// sentence.
func linkRest(s string, start, i int) int {
	if byteAt(s, i) == ':' && isDigit(byteAt(s, i+1)) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if c := byteAt(s, i); c != '/' && c != '?' && c != '#' {
		return i
	}
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isLinkRune(r) {
			break
		}
		i += n
	}
	link := s[start:i]
	openP, closeP := strings.Count(link, "("), strings.Count(link, ")")
	openB, closeB := strings.Count(link, "["), strings.Count(link, "]")
	for i > start {
		switch c := s[i-1]; {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
		case c == ')' && openP < closeP:
			closeP--
		case c == ']' && openB < closeB:
			closeB--
		default:
			return i
		}
		i--
	}
	return i
}

// linkSchemes are the schemes of links read in texts.
var linkSchemes = []string{"https", "http", "hxxps", "hxxp", "viber", "whatsapp", "tg"}

// schemeLinks reads the links written with a scheme.
func (x *extractor) schemeLinks() {
	low := x.v.low
	for i := 0; i < len(low); {
		k := strings.Index(low[i:], "://")
		if k < 0 {
			return
		}
		p := i + k
		i = p + 3
		var scheme string
		for _, sc := range linkSchemes {
			if strings.HasSuffix(low[:p], sc) {
				scheme = sc
				break
			}
		}
		if scheme == "" {
			continue
		}
		start := p - len(scheme)
		e := p + 3
		for e < len(low) {
			r, n := utf8.DecodeRuneInString(low[e:])
			if !isHostRune(r) && !strings.ContainsRune("@:_[]%~", r) {
				break
			}
			e += n
		}
		e = linkRest(x.v.norm, start, e)
		for e > p+3 && strings.IndexByte(".,;:!?'-", x.v.norm[e-1]) >= 0 {
			e--
		}
		if e == p+3 || !x.free(start, e) {
			continue
		}
		x.link(start, e)
		i = e
	}
}

// bareLinks reads the links written without a scheme: "www.site.example",
// "eurodrive.example/apply", "t.me/rabota_eu". A host without a scheme is
// read only when its top-level domain is a known one, written in one case.
func (x *extractor) bareLinks() {
	norm, low := x.v.norm, x.v.low
	for i := 0; i < len(low); {
		k := strings.IndexByte(low[i:], '.')
		if k < 0 {
			return
		}
		dot := i + k
		i = dot + 1
		if !isHostRune(textnorm.RuneBefore(low, dot)) || !isWordRune(textnorm.RuneAt(low, dot+1)) {
			continue
		}
		start := dot
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(low[:start])
			if !isHostRune(r) {
				break
			}
			start -= n
		}
		end := hostEnd(low, dot+1)
		for end > dot && (low[end-1] == '.' || low[end-1] == '-') {
			end--
		}
		i = max(i, end)
		if t := x.takenAt(start); t >= 0 {
			i = max(i, t)
			continue
		}
		switch textnorm.RuneBefore(low, start) {
		case '@', '/', '\\', '_', '#', '%', '&', '=', '+', '~', ':':
			continue
		}
		host := low[start:end]
		for host != "" && (host[0] == '.' || host[0] == '-') {
			start++
			host = host[1:]
		}
		if !bareHost(norm[start:end], host, byteAt(norm, end)) {
			continue
		}
		e := linkRest(norm, start, end)
		if !x.free(start, e) {
			continue
		}
		x.link(start, e)
		i = max(i, e)
	}
}

// bareHost reports whether a host written without a scheme, followed by the
// byte next, is read as one: its labels are not empty, and its top-level
// domain is known and written in one case.
func bareHost(written, host string, next byte) bool {
	if strings.Contains(host, "..") || strings.Count(host, ".") < 1 {
		return false
	}
	t := strings.LastIndexByte(host, '.')
	tld, wtld := host[t+1:], written[t+1:]
	if tld == "" || host[:t] == "" {
		return false
	}
	ascii := true
	for i := 0; i < len(tld); i++ {
		if tld[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
		if !isASCIILetter(tld[i]) {
			return false
		}
	}
	if !ascii {
		a, err := idna.Lookup.ToASCII(tld)
		return err == nil && knownTLD(a)
	}
	if wtld != tld && wtld != strings.ToUpper(tld) {
		return false
	}
	if !knownTLD(tld) {
		return false
	}
	// Files, not sites, when nothing follows.
	if (tld == "zip" || tld == "mov") && next != '/' {
		return false
	}
	return true
}

// link reads the link at norm[start:end].
func (x *extractor) link(start, end int) {
	kind, platform, n, ok := NormalizeLink(x.v.norm[start:end])
	if !ok || kind == KindLink && noiseLinks[n] {
		x.take(start, end)
		return
	}
	x.add(kind, platform, n, start, end)
}
