package pii

import (
	"bytes"
	"forewarn/app/textnorm"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneDigits bounds the digits of a phone number, with an international
// prefix "00".
const maxPhoneDigits = 17

// tailDigits is how many final digits of an owner's number a candidate must
// share before it is parsed.
const tailDigits = 7

// digitGroup is a run of ASCII digits in the normalised text.
type digitGroup struct {
	start, end int // byte offsets; start is at the '+' of "+380"
	plus       bool
}

// digits returns the digits of g in s.
func (g digitGroup) digits(s string) string {
	if g.plus {
		return s[g.start+1 : g.end]
	}
	return s[g.start:g.end]
}

// digitGroups returns the runs of digits in s, in order.
func digitGroups(s string) []digitGroup {
	groups := make([]digitGroup, 0, 16)
	for i := 0; i < len(s); {
		if !textnorm.IsDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && textnorm.IsDigit(s[j]) {
			j++
		}
		g := digitGroup{start: i, end: j}
		if i > 0 && s[i-1] == '+' {
			g.start, g.plus = i-1, true
		}
		groups = append(groups, g)
		i = j
	}
	return groups
}

// linked reports whether groups a and b are parts of one written number:
// they are separated by at most three spaces, dots, hyphens, slashes or
// parentheses, and b does not start a number of its own with '+'.
func linked(s string, a, b digitGroup) bool {
	sep := s[a.end:b.start]
	return !b.plus && len(sep) >= 1 && len(sep) <= 3 && strings.Trim(sep, " .-/()") == ""
}

// scanPhones reports the owner's phone numbers, written in international or
// national form, with any grouping.
func (s *scanner) scanPhones(owner Owner) {
	m := newPhoneMatcher(owner)
	if len(m.tails) == 0 {
		return
	}
	groups := digitGroups(s.norm)
	var buf [maxPhoneDigits]byte
	for i := 0; i < len(groups); {
		best := -1
		if !isWordRune(textnorm.RuneBefore(s.norm, groups[i].start)) {
			n := 0
			for j := i; j < len(groups); j++ {
				if j > i && !linked(s.norm, groups[j-1], groups[j]) {
					break
				}
				d := groups[j].digits(s.norm)
				if n+len(d) > len(buf) {
					break
				}
				n += copy(buf[n:], d)
				if !isWordRune(textnorm.RuneAt(s.norm, groups[j].end)) && m.matches(buf[:n], groups[i].plus) {
					best = j
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		start, end := groups[i].start, groups[best].end
		span := s.norm[start:end]
		if start > 0 && s.norm[start-1] == '(' && strings.Count(span, ")") > strings.Count(span, "(") {
			start--
		}
		s.add(KindOwnPhone, start, end)
		i = best + 1
	}
}

// phoneMatcher compares written numbers with the owner's.
type phoneMatcher struct {
	owner   Owner
	tails   [][]byte
	e164    map[string]bool
	regions []string        // to read national numbers: the owner's region, then their numbers' regions
	nsns    [][]byte        // national significant numbers: every way of writing a number ends with one
	seen    map[string]bool // what parsing said of each written number
}

func newPhoneMatcher(owner Owner) *phoneMatcher {
	m := &phoneMatcher{owner: owner}
	for _, p := range owner.Phones {
		d := []byte(digitsOf(p))
		if len(d) < 6 {
			continue
		}
		m.tails = append(m.tails, d[max(0, len(d)-tailDigits):])
	}
	return m
}

// digitsOf returns the decimal digits of s, in any script, as ASCII.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := fold(r); ok {
			r = f
		}
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// load reads the owner's numbers, once.
func (m *phoneMatcher) load() {
	if m.e164 != nil {
		return
	}
	m.e164 = make(map[string]bool, len(m.owner.Phones))
	m.seen = make(map[string]bool)
	m.nsns = make([][]byte, 0, len(m.owner.Phones))
	addRegion := func(r string) {
		if r != "" && r != "ZZ" && !slices.Contains(m.regions, r) {
			m.regions = append(m.regions, r)
		}
	}
	addRegion(strings.ToUpper(m.owner.Region))
	for _, p := range m.owner.Phones {
		d := digitsOf(p)
		if strings.HasPrefix(strings.TrimSpace(p), "+") {
			m.e164["+"+d] = true
		}
		num, err := phonenumbers.Parse(p, strings.ToUpper(m.owner.Region))
		if err != nil {
			continue
		}
		m.e164[phonenumbers.Format(num, phonenumbers.E164)] = true
		m.nsns = append(m.nsns, []byte(phonenumbers.GetNationalSignificantNumber(num)))
		addRegion(phonenumbers.GetRegionCodeForNumber(num))
	}
}

// matches reports whether the digits, written after a '+' or not, are one of
// the owner's numbers. Cheap tests on the final digits come first; only a
// number that ends with one of the owner's national numbers is parsed.
func (m *phoneMatcher) matches(digits []byte, plus bool) bool {
	if len(digits) < 6 || !endsWithAny(digits, m.tails) {
		return false
	}
	m.load()
	if !plus && bytes.HasPrefix(digits, []byte("00")) {
		digits, plus = digits[2:], true
	}
	written := string(digits)
	if plus {
		written = "+" + written
		if m.e164[written] {
			return true
		}
	}
	if !endsWithAny(digits, m.nsns) {
		return false
	}
	ok, done := m.seen[written]
	if !done {
		ok = m.parse(written)
		m.seen[written] = ok
	}
	return ok
}

func endsWithAny(digits []byte, suffixes [][]byte) bool {
	for _, s := range suffixes {
		if bytes.HasSuffix(digits, s) {
			return true
		}
	}
	return false
}

// parse reads a written number, international or in each of the regions
// in turn, and reports whether it is one of the owner's.
func (m *phoneMatcher) parse(written string) bool {
	if strings.HasPrefix(written, "+") {
		num, err := phonenumbers.Parse(written, "")
		return err == nil && m.e164[phonenumbers.Format(num, phonenumbers.E164)]
	}
	for _, r := range m.regions {
		num, err := phonenumbers.Parse(written, r)
		if err == nil && m.e164[phonenumbers.Format(num, phonenumbers.E164)] {
			return true
		}
	}
	return false
}
