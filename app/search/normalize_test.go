package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	cases := map[string][]string{
		"Pologne":                   {"pologne"},
		"SOFRASI Sofrası":           {"sofrasi", "sofrasi"},
		"ę ă ș ț Łódź Straße":       {"e", "a", "s", "t", "lodz", "strasse"},
		"Euro-Jobs":                 {"euro", "jobs"},
		"أحمد إبراهيم آمنة":         {"احمد", "ابراهيم", "امنه"},
		"مُحَمَّد":                  {"محمد"},
		"عـــمل":                    {"عمل"},
		"مصطفى":                     {"مصطفي"},
		"کار یک":                    {"كار", "يك"},
		"٠١٢٣ ۴۵۶":                  {"0123", "456"},
		"\"NEAR\" OR * ^ : -x":      {"near", "or", "x"},
		"a\xffb":                    {"a", "b"},
		"İstanbul":                  {"istanbul"},
		"Їжак Йосип":                {"іжак", "иосип"},
		"e\u0301cole \u200bjob":     {"ecole", "job"},
		"x@y.z +48 600 100 200":     {"x", "y", "z", "48", "600", "100", "200"},
		"':'; DROP TABLE users; --": {"drop", "table", "users"},
	}
	for in, want := range cases {
		if got := Tokens(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTypo(t *testing.T) {
	for _, c := range []struct {
		q, t string
		ok   bool
	}{
		{"eurojbos", "eurojobs", true}, {"eurojob", "eurojobs", true}, {"eurojobbs", "eurojobs", true},
		{"euroxxbs", "eurojobs", false}, {"jobs", "jabs", false}, {"transprt", "transport", true},
	} {
		if got := Typo(c.q, c.t); got != c.ok {
			t.Errorf("Typo(%q, %q) = %v", c.q, c.t, got)
		}
	}
}

func TestCountryNames(t *testing.T) {
	got := Normalize(strings.Join(append(CountryNames("PL", "fr", "en"), CountryNames("PL", "ar", "fa", "uk", "ro")...), " "))
	for _, want := range []string{"pologne", "poland", "بولندا", "لهستان", "польща", "polonia"} {
		if !strings.Contains(" "+got+" ", " "+Normalize(want)+" ") {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
