package extract_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"forewarn/app/extract"
)

// renormalize reads a found value again with the normaliser of its kind.
func renormalize(f extract.Found) (string, bool) {
	switch f.Kind {
	case extract.KindPhone:
		return extract.NormalizePhone(f.Normalized)
	case extract.KindEmail:
		return extract.NormalizeEmail(f.Normalized)
	case extract.KindLink:
		kind, _, n, ok := extract.NormalizeLink(f.Normalized)
		return n, ok && kind == extract.KindLink
	case extract.KindSocial:
		platform, handle, _ := strings.Cut(f.Normalized, ":")
		if platform != f.Platform {
			return "", false
		}
		return extract.NormalizeHandle(platform, handle)
	case extract.KindBankAccount:
		return extract.NormalizeIBAN(f.Normalized)
	case extract.KindCompany:
		return extract.FoldName(f.Normalized), true
	}
	return "", false
}

func FuzzExtract(f *testing.F) {
	for _, c := range offerCases {
		f.Add(c.text, c.region)
	}
	for _, c := range falsePositiveCases {
		f.Add(c.text, c.region)
	}
	for _, g := range fiveWays {
		f.Add(strings.Join(g.writings, " "), g.region)
	}
	f.Add(benchMessage, "GB")
	f.Fuzz(func(t *testing.T, text, region string) {
		got := extract.Extract(text, extract.Options{Region: region, Companies: testCompanies})
		checkFound(t, text, got)
		type key struct {
			kind           extract.Kind
			platform, norm string
		}
		seen := make(map[key]bool)
		for i, f := range got {
			k := key{f.Kind, f.Platform, f.Normalized}
			if seen[k] {
				t.Errorf("#%d: %s %q found twice", i, f.Kind, f.Normalized)
			}
			seen[k] = true
			if n, ok := renormalize(f); !ok || n != f.Normalized {
				t.Errorf("#%d: %s %q re-normalises to %q, %v", i, f.Kind, f.Normalized, n, ok)
			}
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.kind == extract.KindPhone && w.raw != "" {
				f.Add(w.raw, c.region)
			}
		}
	}
	f.Add("+44 (0) 7700 900123", "")
	f.Add("0044 7700 900123", "FR")
	f.Add("8 (912) 345-67-89", "RU")
	f.Fuzz(func(t *testing.T, raw, region string) {
		n, ok := extract.NormalizePhone(raw, region)
		if !ok {
			return
		}
		if !strings.HasPrefix(n, "+") || len(n) < 6 {
			t.Fatalf("NormalizePhone(%q, %q) = %q: not E.164", raw, region, n)
		}
		if again, ok := extract.NormalizePhone(n); !ok || again != n {
			t.Errorf("NormalizePhone(%q) = %q, %v; want it unchanged", n, again, ok)
		}
		if again, ok := extract.NormalizePhone(n, region); !ok || again != n {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want it unchanged", n, region, again, ok)
		}
	})
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.kind == extract.KindEmail {
				f.Add(w.normalized)
			}
		}
	}
	f.Add("Ünal@örnek.com.tr")
	f.Add("ANNA@Gmail.COM.")
	f.Fuzz(func(t *testing.T, raw string) {
		n, ok := extract.NormalizeEmail(raw)
		if !ok {
			return
		}
		if again, ok := extract.NormalizeEmail(n); !ok || again != n {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want it unchanged", n, again, ok)
		}
	})
}

func FuzzNormalizeLink(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.raw != "" && (w.kind == extract.KindLink || strings.Contains(w.raw, "/")) {
				f.Add(w.raw)
			}
		}
	}
	for _, w := range fiveWays[1].writings {
		f.Add(w)
	}
	f.Add("https://user:pw@Jobs.EuroDrive.example:8443/a%2fb/%7Euser?q=%e2%82%ac&b=1&a=&&utm_x=1#frag")
	f.Add("mailto:Jobs@EuroDrive.example?subject=cv")
	f.Add("https://[2001:db8::1]/x")
	f.Fuzz(func(t *testing.T, raw string) {
		kind, platform, n, ok := extract.NormalizeLink(raw)
		if !ok {
			return
		}
		var again string
		switch kind {
		case extract.KindLink:
			var k extract.Kind
			k, _, again, ok = extract.NormalizeLink(n)
			ok = ok && k == extract.KindLink
		case extract.KindPhone:
			again, ok = extract.NormalizePhone(n)
		case extract.KindEmail:
			again, ok = extract.NormalizeEmail(n)
		case extract.KindSocial:
			p, h, _ := strings.Cut(n, ":")
			if p != platform {
				t.Fatalf("NormalizeLink(%q) = platform %q, value %q", raw, platform, n)
			}
			again, ok = extract.NormalizeHandle(p, h)
		default:
			t.Fatalf("NormalizeLink(%q) = kind %q", raw, kind)
		}
		if !ok || again != n {
			t.Errorf("NormalizeLink(%q) = %s %q, which re-normalises to %q, %v", raw, kind, n, again, ok)
		}
	})
}

func FuzzNormalizeHandle(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.kind == extract.KindSocial {
				p, h, _ := strings.Cut(w.normalized, ":")
				f.Add(p, h)
			}
		}
	}
	f.Add("Twitter", "@VisaFastEU")
	f.Add("facebook", "100012345678901")
	f.Fuzz(func(t *testing.T, platform, handle string) {
		n, ok := extract.NormalizeHandle(platform, handle)
		if !ok {
			return
		}
		p, h, _ := strings.Cut(n, ":")
		if again, ok := extract.NormalizeHandle(p, h); !ok || again != n {
			t.Errorf("NormalizeHandle(%q, %q) = %q, %v; want %q", p, h, again, ok, n)
		}
	})
}

func FuzzNormalizeIBAN(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.kind == extract.KindBankAccount && w.raw != "" {
				f.Add(w.raw)
			}
		}
	}
	f.Add("DE89 3704 0044 0532 0130 01")
	f.Fuzz(func(t *testing.T, raw string) {
		n, ok := extract.NormalizeIBAN(raw)
		if !ok {
			return
		}
		if again, ok := extract.NormalizeIBAN(n); !ok || again != n {
			t.Errorf("NormalizeIBAN(%q) = %q, %v; want it unchanged", n, again, ok)
		}
	})
}

func FuzzFoldName(f *testing.F) {
	for _, c := range offerCases {
		for _, w := range c.want {
			if w.kind == extract.KindCompany && w.raw != "" {
				f.Add(w.raw)
			}
		}
	}
	f.Add("Özel İnşaat Ltd.")
	f.Add("STRAẞE Œuvre Łódź")
	f.Fuzz(func(t *testing.T, s string) {
		n := extract.FoldName(s)
		if again := extract.FoldName(n); again != n {
			t.Errorf("FoldName(%q) = %q; want it unchanged", n, again)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Errorf("FoldName(%q) = %q: spaces not collapsed", s, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Errorf("FoldName(%q) = %q: not UTF-8", s, n)
		}
	})
}
