package pii

import (
	"forewarn/app/textnorm"
	"slices"
	"strings"
)

// Words that stand for '@' and '.' in addresses written to dodge harvesters:
// "name at domain dot com", "name(at)domain.com", "name [at] domain [dot] com".
var (
	atWords  = []string{"at", "arroba", "собака"}
	dotWords = []string{"dot", "punto", "point", "punkt", "punct", "kropka", "nokta", "точка", "крапка", "نقطه", "نقطة"}
)

// scanEmails reports the owner's e-mail addresses, in any letter case, plain
// or lightly obfuscated.
func (s *scanner) scanEmails(emails []string) {
	for _, e := range emails {
		e = newView(strings.TrimSpace(e)).low
		at := strings.LastIndexByte(e, '@')
		if at <= 0 || at == len(e)-1 {
			continue
		}
		local := strings.Split(e[:at], ".")
		domain := strings.Split(e[at+1:], ".")
		if slices.Contains(local, "") || slices.Contains(domain, "") {
			continue
		}
		s.findEmail(local, domain)
	}
}

// findEmail reports each occurrence of the address made of the local and
// domain labels.
func (s *scanner) findEmail(local, domain []string) {
	t := s.low
	for i := 0; i < len(t); {
		j := strings.Index(t[i:], local[0])
		if j < 0 {
			return
		}
		start := i + j
		i = start + len(local[0])
		if isEmailRune(textnorm.RuneBefore(t, start)) {
			continue
		}
		end, ok := matchEmail(t, i, local[1:], domain)
		if !ok {
			continue
		}
		s.add(KindOwnEmail, start, end)
		i = end
	}
}

// matchEmail matches the rest of an address at t[p:], just after its first
// label, and returns where it ends.
func matchEmail(t string, p int, local, domain []string) (int, bool) {
	var ok bool
	for _, l := range local {
		if p, ok = emailSep(t, p, '.', dotWords); !ok || !strings.HasPrefix(t[p:], l) {
			return 0, false
		}
		p += len(l)
	}
	if p, ok = emailSep(t, p, '@', atWords); !ok {
		return 0, false
	}
	for k, l := range domain {
		if k > 0 {
			if p, ok = emailSep(t, p, '.', dotWords); !ok {
				return 0, false
			}
		}
		if !strings.HasPrefix(t[p:], l) {
			return 0, false
		}
		p += len(l)
	}
	// The address must end here, not run on into a longer one.
	switch r := textnorm.RuneAt(t, p); {
	case isWordRune(r), r == '-', r == '_', r == '@':
		return 0, false
	case r == '.' && isWordRune(textnorm.RuneAt(t, p+1)):
		return 0, false
	}
	return p, true
}

// emailSep matches the separator sym at t[p:], written as itself, as a word in
// brackets ("(at)", "[dot]") or as a word between spaces (" at "), and returns
// where what follows it starts.
func emailSep(t string, p int, sym byte, words []string) (int, bool) {
	q := skipSpaces(t, p)
	if q >= len(t) {
		return 0, false
	}
	if t[q] == sym {
		return skipSpaces(t, q+1), true
	}
	if k := strings.IndexByte("([{<", t[q]); k >= 0 {
		closer := ")]}>"[k]
		r := skipSpaces(t, q+1)
		inner := func(w string) (int, bool) {
			if !strings.HasPrefix(t[r:], w) {
				return 0, false
			}
			if e := skipSpaces(t, r+len(w)); e < len(t) && t[e] == closer {
				return skipSpaces(t, e+1), true
			}
			return 0, false
		}
		if e, ok := inner(string(sym)); ok {
			return e, true
		}
		for _, w := range words {
			if e, ok := inner(w); ok {
				return e, true
			}
		}
		return 0, false
	}
	if q == p {
		return 0, false
	}
	for _, w := range words {
		if !strings.HasPrefix(t[q:], w) {
			continue
		}
		if e := skipSpaces(t, q+len(w)); e > q+len(w) {
			return e, true
		}
	}
	return 0, false
}

func skipSpaces(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i
}

// isEmailRune reports whether r may be part of the local part of an address.
func isEmailRune(r rune) bool {
	return isWordRune(r) || r == '.' || r == '_' || r == '%' || r == '+' || r == '-'
}
