package extract

import (
	"forewarn/app/textnorm"
	"strings"
	"unicode/utf8"
)

// handleRule says what a handle on a platform may be made of.
type handleRule struct {
	chars    string // allowed besides a-z and 0-9
	min, max int
}

// handleRules holds the platforms Found.Platform may name.
var handleRules = map[string]handleRule{
	"facebook":  {".-_", 1, 64},
	"instagram": {"._", 1, 30},
	"telegram":  {"_", 4, 32},
	"tiktok":    {"._", 2, 24},
	"whatsapp":  {"._", 3, 35},
	"viber":     {"._", 3, 32},
	"x":         {"_", 1, 15},
	"vk":        {"._", 2, 32},
	"linkedin":  {"-_", 3, 100},
}

// platformAliases are other names of the platforms.
var platformAliases = map[string]string{
	"twitter": "x", "fb": "facebook", "ig": "instagram", "tg": "telegram", "vkontakte": "vk", "wa": "whatsapp",
}

// NormalizeHandle returns "platform:handle" for a profile on a social network or messenger.
//
// The platform is one of those of Found.Platform, in any case ("twitter" is
// read as "x"); the handle loses a leading '@' and is lower-cased. A Facebook
// profile known by its number is "facebook:id:123". ok is false when the
// platform is unknown or the handle is not one the platform allows.
func NormalizeHandle(platform, handle string) (string, bool) {
	p := strings.ToLower(strings.TrimSpace(platform))
	if a, ok := platformAliases[p]; ok {
		p = a
	}
	rule, ok := handleRules[p]
	if !ok {
		return "", false
	}
	h := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if p == "facebook" {
		id, isID := strings.CutPrefix(h, "id:")
		if !isID && allDigits(h) {
			id, isID = h, true
		}
		if isID {
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
		case isDigit(c) || 'a' <= c && c <= 'z':
			alnum = true
		case strings.IndexByte(rule.chars, c) < 0:
			return "", false
		}
	}
	if !alnum {
		return "", false
	}
	return p + ":" + h, true
}

// platformWord is a name of a platform as texts write it. A short word must
// stand alone; a longer one may start a word ("Telegramie", "телеграме").
type platformWord struct {
	word, platform string
	whole          bool
}

// platformWords are the names of the platforms in the languages of the
// offers, in the lower case of view.low.
var platformWords = func() []platformWord {
	names := map[string][]string{
		"instagram": {"instagram", "insta", "инстаграм", "инста", "інстаграм", "інста", "اینستاگرام", "انستغرام",
			"انستقرام", "انستجرام", "إنستغرام", "انستا", "اینستا"},
		"telegram": {"telegram", "телеграм", "телега", "تلگرام", "تلغرام", "تيليجرام", "تليجرام", "تلجرام", "تيليغرام", "تليغرام"},
		"facebook": {"facebook", "фейсбук", "фейсбуке", "فيسبوك", "فيس بوك", "فیسبوک", "فیس بوک", "messenger"},
		"tiktok":   {"tiktok", "tik tok", "тикток", "тик ток", "тікток", "тік ток", "تيك توك", "تيكتوك", "تیک تاک", "تیکتاک"},
		"x":        {"twitter", "твиттер", "твітер", "تويتر", "توییتر"},
		"vk":       {"vkontakte", "вконтакте", "вконтакті"},
		"linkedin": {"linkedin", "линкедин", "лінкедін", "لينكد", "لینکدین"},
		"viber":    {"viber", "вайбер", "فايبر", "وایبر"},
		"whatsapp": {"whatsapp", "ватсап", "вотсап", "вацап", "واتساب", "واتس", "واتساپ"},
	}
	short := map[string][]string{
		"instagram": {"ig"}, "telegram": {"tg", "тг"}, "facebook": {"fb", "фб"}, "vk": {"vk", "вк"},
	}
	var words []platformWord
	for p, ws := range names {
		for _, w := range ws {
			words = append(words, platformWord{lowerSameLength(w), p, false})
		}
	}
	for p, ws := range short {
		for _, w := range ws {
			words = append(words, platformWord{w, p, true})
		}
	}
	return words
}()

// platformByFirst indexes platformWords by their first byte.
var platformByFirst = func() *[256][]platformWord {
	var m [256][]platformWord
	for _, w := range platformWords {
		m[w.word[0]] = append(m[w.word[0]], w)
	}
	return &m
}()

// platformNear returns the platform named nearest to a handle at low[at:end],
// on the same line: the last name in the 30 runes before it, else the first
// in the 30 runes after it and in the same sentence ("DM @visa_fast on
// Instagram").
func platformNear(low string, at, end int) string {
	from := textnorm.BackRunes(low, at, 30)
	if k := strings.LastIndexByte(low[from:at], '\n'); k >= 0 {
		from += k + 1
	}
	for p := at - 1; p >= from; p-- {
		if w, ok := platformWordAt(low, p, at); ok {
			return w
		}
	}
	to := forwardRunes(low, end, 30)
	if k := strings.IndexAny(low[end:to], "\n.!?;:@"); k >= 0 {
		to = end + k
	}
	for p := end; p < to; p++ {
		if w, ok := platformWordAt(low, p, to); ok {
			return w
		}
	}
	return ""
}

// platformWordAt returns the platform whose name starts at low[p:] and ends
// before limit.
func platformWordAt(low string, p, limit int) (string, bool) {
	for _, w := range platformByFirst[low[p]] {
		if strings.HasPrefix(low[p:limit], w.word) && wordBounded(low, p, p+len(w.word), w.whole) {
			return w.platform, true
		}
	}
	return "", false
}

// wordBounded reports whether low[p:k] is not inside a word of Latin or
// Cyrillic letters: Arabic-script words take prefixes ("بالتلغرام"). A whole
// word must not be followed by a letter either.
func wordBounded(low string, p, k int, whole bool) bool {
	if r := textnorm.RuneBefore(low, p); isWordRune(r) && !isArabicScript(r) {
		return false
	}
	return !whole || !isWordRune(textnorm.RuneAt(low, k))
}

func isArabicScript(r rune) bool { return r >= 0x0600 && r <= 0x06FF || r >= 0xFB50 && r <= 0xFEFF }

// handles reads "@handle" written next to the name of a platform:
// "Instagram: @visa_fast", "напишите в телеграм @rabota_eu". A bare @handle
// is not reported: without a platform it cannot be matched.
func (x *extractor) handles() {
	norm, low := x.v.norm, x.v.low
	for i := 0; i < len(norm); i++ {
		if norm[i] != '@' || x.takenAt(i) >= 0 {
			continue
		}
		if r := textnorm.RuneBefore(norm, i); isWordRune(r) || r == '.' || r == '_' || r == '@' {
			continue
		}
		e := i + 1
		for e < len(norm) && (isASCIIAlnum(norm[e]) || norm[e] == '_' || norm[e] == '.' || norm[e] == '-') {
			e++
		}
		for e > i+1 && (norm[e-1] == '.' || norm[e-1] == '-') {
			e--
		}
		if e-i < 3 || !x.free(i, e) {
			continue
		}
		if r := textnorm.RuneAt(norm, e); r >= utf8.RuneSelf && isWordRune(r) || r == '@' {
			continue
		}
		platform := platformNear(low, i, e)
		if platform == "" {
			continue
		}
		if n, ok := NormalizeHandle(platform, norm[i+1:e]); ok {
			x.add(KindSocial, platform, n, i, e)
		}
		i = e - 1
	}
}
