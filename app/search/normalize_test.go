package search

import (
	"reflect"
	"slices"
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

func TestScripts(t *testing.T) {
	for _, c := range []struct {
		f    func(string) []string
		in   string
		want []string
	}{
		// Han: overlapping bigrams; the index adds the run's last character.
		{Tokens, "假签证中介", []string{"假签", "签证", "证中", "中介"}},
		{IndexTokens, "假签证中介", []string{"假签", "签证", "证中", "中介", "介"}},
		{QueryTokens, "签证中介", []string{"签证", "中介"}},
		{QueryTokens, "假签证中介", []string{"假签", "证中", "中介"}},
		{Tokens, "中", []string{"中"}},
		{IndexTokens, "中", []string{"中"}},
		{Tokens, "iPhone手机，２５００元", []string{"iphone", "手机", "2500", "元"}},
		{Tokens, "ビザ代行サービス", []string{"ビザ", "ザ代", "代行", "行サ", "サー", "ービ", "ビス"}},
		// Ge'ez: the wordspace ፡ and the full stop ። separate words; the
		// syllables stay whole.
		{Tokens, "ሓሶት፡ስራሕ፡ኣብ፡ዓዲ፡ጣልያን።", []string{"ሓሶት", "ስራሕ", "ኣብ", "ዓዲ", "ጣልያን"}},
		{Tokens, "ኤጀንሲ ቪዛ፣ ገንዘብ።", []string{"ኤጀንሲ", "ቪዛ", "ገንዘብ"}},
		// Vietnamese: tones and the breve, circumflex and horn go, đ is d.
		{Tokens, "Việc làm ĐÀI LOAN lương cao", []string{"viec", "lam", "dai", "loan", "luong", "cao"}},
		{Tokens, "Cơ hội xuất khẩu lao động", []string{"co", "hoi", "xuat", "khau", "lao", "dong"}},
		// Urdu: yeh barree, noon ghunna, heh goal and do-chashmi, teh
		// marbuta goal; Extended Arabic-Indic digits.
		{Tokens, "ملازمت کے لیے ۵۰۰۰ روپے", []string{"ملازمت", "كي", "ليي", "5000", "روپي"}},
		{Tokens, "میں مین", []string{"مين", "مين"}},
		{Tokens, "بھرتی ہے", []string{"بهرتي", "هي"}},
		{Tokens, "زکوٰۃ", []string{"زكوه"}},
		// Pashto: the Pashto gaf is gaf; ې ۍ ئ are yeh; ښ stays.
		{Tokens, "ګډ گډ", []string{"گډ", "گډ"}},
		{Tokens, "کېږي سړۍ ښځه", []string{"كيږي", "سړي", "ښځه"}},
		// Arabic article: the index keeps the stem of 3 letters or more.
		{IndexTokens, "الوكالة بالوكالة وكالة للعمل الله", []string{"الوكاله", "وكاله", "بالوكاله", "وكاله", "وكاله", "للعمل", "عمل", "الله"}},
		{QueryTokens, "الوكالة والي", []string{"وكاله", "والي"}},
	} {
		if got := c.f(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestThai(t *testing.T) {
	// Thai is written without spaces: bigrams, as Han; its vowel and tone
	// marks go with the other marks.
	if got, want := Tokens("บริษัทจัดหางาน ปลอม"), []string{"บร", "รษ", "ษท", "ทจ", "จด", "ดห", "หา", "าง", "งา", "าน", "ปล", "ลอ", "อม"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	got, ok := Mark("บริษัทจัดหางานปลอมเก็บเงิน", NewQuery(QueryTokens("จัดหางาน")), 0)
	if want := "บริษัท<mark>จัดหางาน</mark>ปลอมเก็บเงิน"; !ok || string(got) != want {
		t.Errorf("Mark = %q, want %q", got, want)
	}
}

func TestTypoPieces(t *testing.T) {
	for _, c := range []struct {
		tok  string
		want []string
	}{
		{"itlay", []string{"itl", "lay", "iltay", "italy"}},
		{"polnad", []string{"pol", "nad", "ponlad"}},
		{"netherlnds", []string{"neth", "lnds"}},
		{"netehrlands", []string{"nete", "lands"}},
		{"noavlogistikpersonal", []string{"noavlogis", "kpersonal"}},
		{"abcd", nil},
	} {
		if got := TypoPieces(c.tok); !reflect.DeepEqual(got, c.want) {
			t.Errorf("TypoPieces(%q) = %q, want %q", c.tok, got, c.want)
		}
	}
}

// TestTypoPiecesFindEveryWordOneEditAway checks, for words of every
// length from five to twenty runes, that each word one edit away (every
// letter changed, every letter added, every letter dropped, every two
// neighbours swapped) holds one of the pieces of the word, but for the
// gap TypoPieces names: the middle rune of a five-rune word.
func TestTypoPiecesFindEveryWordOneEditAway(t *testing.T) {
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzšт")
	for n := 5; n <= 20; n++ {
		word := make([]rune, n)
		for i := range word {
			word[i] = alphabet[(i*7+n)%len(alphabet)]
		}
		var edits [][]rune
		at := map[int][]int{} // edit index -> rune positions it touches
		add := func(w []rune, pos ...int) {
			at[len(edits)] = pos
			edits = append(edits, w)
		}
		for p := range n {
			changed := slices.Clone(word)
			changed[p] = 'ж'
			add(changed, p)
			add(slices.Delete(slices.Clone(word), p, p+1), p)
			if p+1 < n {
				swapped := slices.Clone(word)
				swapped[p], swapped[p+1] = swapped[p+1], swapped[p]
				add(swapped, p, p+1)
			}
		}
		for p := 0; p <= n; p++ {
			add(slices.Insert(slices.Clone(word), p, 'ж'), p)
		}
		for i, e := range edits {
			// The word the reader meant is e; they typed word. The index
			// holds e: one of word's pieces must be in e.
			pieces := TypoPieces(string(word))
			if !slices.ContainsFunc(pieces, func(p string) bool { return strings.Contains(string(e), p) }) {
				if n == 5 && slices.Contains(at[i], 2) {
					continue // the gap
				}
				t.Errorf("%q (%d runes): %q, one edit away, holds none of %q", string(word), n, string(e), pieces)
			}
		}
	}
}

func TestDistance(t *testing.T) {
	long := strings.Repeat("abcdefghij", 6) // longer than the rows kept on the stack
	for _, c := range []struct {
		a, b string
		max  int
		want int
	}{
		{"eurojobs", "eurojobs", 1, 0},
		{"eurojobs", "eurojbos", 1, 1}, // swapped neighbours: one edit
		{"eurojobs", "eurojob", 1, 1},
		{"eurojobs", "eurjbs", 1, 2}, // over max: max + 1
		{"pologne", "polska", 5, 4},
		{"łódź", "lodz", 4, 3},
		{"签证中介", "签证中", 1, 1},
		{long, long + "k", 1, 1},
		{long + "xy", long + "yx", 1, 1},
		{long, "a" + long[2:], 1, 1},
		{long, strings.ToUpper(long), 1, 2},
	} {
		if got := Distance(c.a, c.b, c.max); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}
