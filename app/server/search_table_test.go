package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"forewarn/app/service"
)

// searchCase is one query and what it must find: every key of want, want's
// first key first when first is set, and none of not.
type searchCase struct {
	q     string
	want  []string
	not   []string
	first bool
	typ   string
	ctry  string
	lang  string
}

var hiddenKeys = []string{"draft", "retracted"}

var searchCases = []searchCase{
	// English: words, prefixes, names, titles first.
	{q: "chauffeur", want: []string{"eurojobs"}, first: true},
	{q: "chauff", want: []string{"eurojobs"}, first: true},
	{q: "CHAUFFEUR POLAND", want: []string{"eurojobs"}, first: true},
	{q: "Euro Jobs", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Eurojobs", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Euro-Jobs", want: []string{"eurojobs", "eurojobs1"}},
	{q: "euro-jobs transport", want: []string{"eurojobs"}, first: true},
	{q: "Eurojbos", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Eurojobz", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Transprt", want: []string{"eurojobs"}},
	{q: "passport", want: []string{"eurojobs1", "eurojobs", "sofrasi"}, first: true},
	{q: "passport deposit", want: []string{"eurojobs1"}, first: true},
	{q: "visa agency instagram", want: []string{"insta"}, first: true},
	{q: "a visa agency on Instagram", want: []string{"insta"}},
	{q: "instagram", want: []string{"insta", "insta-fr"}},
	{q: "whatsapp deposit", want: []string{"insta-reply"}},
	{q: "kitchen staff", want: []string{"sofrasi"}, first: true},
	{q: "restaurant", want: []string{"sofrasi"}, first: true},
	{q: "saffron pickers", not: []string{"draft", "retracted"}},
	{q: "Zanzibarquux", not: []string{"draft"}},
	{q: "Blorfington", not: []string{"retracted"}},
	{q: "2500", want: []string{"eurojobs"}},
	{q: "Red flags fee", want: []string{"eurojobs"}},
	{q: "Euro Jobs Transport", want: []string{"eurojobs"}, first: true},
	{q: "Keep your passport", want: []string{"eurojobs"}},
	{q: "fastvisa", want: []string{"insta"}},
	// Turkish and other Latin diacritics.
	{q: "Sofrası", want: []string{"sofrasi"}, first: true},
	{q: "sofrasi", want: []string{"sofrasi"}, first: true},
	{q: "SOFRASI", want: []string{"sofrasi"}, first: true},
	{q: "Kose Sofrasi", want: []string{"sofrasi"}, first: true},
	{q: "köşe", want: []string{"sofrasi"}, first: true},
	{q: "Anatolia", want: []string{"sofrasi"}},
	// French.
	{q: "Pologne", want: []string{"eurojobs"}, first: true},
	{q: "pologne", want: []string{"eurojobs"}, first: true},
	{q: "emplois chauffeur", want: []string{"eurojobs"}, first: true},
	{q: "départ", want: []string{"eurojobs"}},
	{q: "depart", want: []string{"eurojobs"}},
	{q: "passeport confisqué", want: []string{"eurojobs"}},
	{q: "agence visas", want: []string{"insta-fr"}},
	{q: "arnaque", want: []string{"insta-fr"}, first: true},
	{q: "faux emplois", want: []string{"eurojobs"}},
	{q: "ALERTE", want: []string{"eurojobs"}},
	// Dutch.
	{q: "uitzendbureau", want: []string{"uitzend", "nl-rep"}},
	{q: "nep uitzendbureau", want: []string{"uitzend"}, first: true},
	{q: "nepuitzendbureau", want: []string{"uitzend"}, first: true},
	{q: "Rotterdam borg", want: []string{"uitzend"}, first: true},
	{q: "huisvesting", want: []string{"uitzend", "nl-rep"}},
	{q: "arbeidsmigrant", want: []string{"uitzend"}},
	{q: "loon", want: []string{"uitzend", "nl-rep"}},
	// Spanish.
	{q: "fresas", want: []string{"agentie", "fresas"}},
	{q: "Huelva", want: []string{"agentie", "fresas"}},
	{q: "españa", want: []string{"agentie"}, first: true},
	{q: "espana", want: []string{"agentie"}, first: true},
	{q: "colocación", want: []string{"agentie"}, first: true},
	{q: "pasaporte", want: []string{"fresas"}},
	{q: "cosecha", want: []string{"agentie", "fresas"}},
	{q: "Señales", want: []string{"agentie"}},
	// Romanian: ă, â, î, ș, ț in both the cedilla and comma forms.
	{q: "agenție", want: []string{"agentie"}, first: true},
	{q: "agentie", want: []string{"agentie"}, first: true},
	{q: "taxă", want: []string{"agentie", "ro-rep"}},
	{q: "taxa", want: []string{"agentie", "ro-rep"}},
	{q: "căpșuni", want: []string{"agentie"}},
	{q: "capsuni", want: []string{"agentie"}},
	{q: "căpşuni", want: []string{"agentie"}}, // s with cedilla
	{q: "Iasi", want: []string{"ro-rep"}},
	{q: "Ştefan şoferul", want: []string{"ro-rep"}},
	{q: "înscriere", want: []string{"agentie"}},
	{q: "Salvati Copiii", want: []string{"agentie"}},
	// Ukrainian.
	{q: "Польщі", want: []string{"eurojobs", "uk-rep"}},
	{q: "польщі", want: []string{"eurojobs", "uk-rep"}},
	{q: "водієм", want: []string{"eurojobs"}, first: true},
	{q: "фальш", want: []string{"eurojobs"}, first: true},
	{q: "паспорт", want: []string{"eurojobs"}},
	{q: "складі", want: []string{"uk-rep"}, first: true},
	{q: "Агенція", want: []string{"uk-rep"}},
	{q: "фальшива робота", want: []string{"eurojobs"}, first: true},
	// Arabic: hamza and alef forms, taa marbuta, alef maqsura, tatweel, harakat, digits.
	{q: "وظيفة سائق", want: []string{"eurojobs"}, first: true},
	{q: "وظيفه سائق", want: []string{"eurojobs"}, first: true},
	{q: "سـائـق", want: []string{"eurojobs"}, first: true},
	{q: "اجور", want: []string{"arabic"}, first: true},
	{q: "أجور", want: []string{"arabic"}, first: true},
	{q: "إجور", want: []string{"arabic"}, first: true},
	{q: "الاستقدام", want: []string{"arabic"}},
	{q: "الشركة", want: []string{"arabic"}},
	{q: "تعد الشركة بعمل", want: []string{"arabic"}},
	{q: "تَعِدُ", want: []string{"arabic"}},
	{q: "مقدما", want: []string{"arabic"}},
	{q: "بولندا", want: []string{"eurojobs"}},
	{q: "مزرعة فراولة", want: []string{"ar-rep"}, first: true},
	{q: "واتساب", want: []string{"ar-rep"}},
	{q: "300", want: []string{"arabic", "uk-rep"}},
	{q: "٣٠٠ دولار", want: []string{"arabic"}},
	{q: "مكتب", want: []string{"arabic"}},
	// Persian: yeh and keheh in both forms, digits.
	{q: "آگهی کار", want: []string{"persian"}, first: true},
	{q: "آگهي كار", want: []string{"persian"}, first: true},
	{q: "ترکیه", want: []string{"persian"}},
	{q: "تركيه", want: []string{"persian"}},
	{q: "کاریابی", want: []string{"fa-rep"}, first: true},
	{q: "استانبول", want: []string{"fa-rep"}, first: true},
	{q: "۱۵۰۰", want: []string{"persian"}},
	{q: "1500", want: []string{"persian"}},
	{q: "۲۰۰ دلار", want: []string{"fa-rep"}},
	{q: "گذرنامه", want: []string{"persian"}},
	// Digits in any script.
	{q: "٢٥٠٠", want: []string{"eurojobs"}},
	{q: "۲۵۰۰", want: []string{"eurojobs"}},
	// Contacts: matched exactly and first.
	{q: "+44 7700 900123", want: []string{"eurojobs"}, first: true},
	{q: "call +44 (7700) 900-123 now", want: []string{"eurojobs"}, first: true},
	{q: "HR@EuroJobs-Transport.example", want: []string{"eurojobs"}, first: true},
	{q: "jobs@agentie-spania.example", want: []string{"agentie"}, first: true},
	// Route countries by name, in the text's language or in English.
	{q: "Pologne", lang: "fr", want: []string{"eurojobs"}},
	{q: "Ukraine driver", want: []string{"eurojobs1"}},
	{q: "Turquie", not: []string{"persian"}},
	{q: "ترکیه", want: []string{"persian"}},
	{q: "Maroc", not: []string{"arabic"}},
	{q: "المغرب", want: []string{"arabic"}},
	{q: "Iran", want: []string{"persian", "fa-rep"}},
	{q: "Spain", want: []string{"agentie", "fresas"}},
	{q: "Rumania", want: []string{}},
	// Han: runs as overlapping bigrams, so that a word inside a run is found.
	{q: "签证", want: []string{"zh"}, first: true},
	{q: "假签证中介", want: []string{"zh"}, first: true},
	{q: "签证中介", want: []string{"zh"}, first: true},
	{q: "中介", want: []string{"zh"}, first: true},
	{q: "签", want: []string{"zh"}, first: true},
	{q: "费", want: []string{"zh"}},
	{q: "金桥劳务", want: []string{"zh"}, first: true},
	{q: "劳务费", want: []string{"zh"}, first: true},
	{q: "护照", want: []string{"zh"}},
	{q: "扣押 护照", want: []string{"zh"}},
	{q: "意大利", want: []string{"zh"}},
	{q: "２５００元", want: []string{"zh"}},
	{q: "中介公司", not: []string{"zh"}},
	{q: "签中", not: []string{"zh"}},
	// Thai: written without spaces too.
	{q: "จัดหางาน", want: []string{"th"}, first: true},
	{q: "ค่าหัวคิว", want: []string{"th"}, first: true},
	{q: "ไต้หวัน", want: []string{"th"}},
	{q: "หายไป", want: []string{"th"}},
	{q: "จัดหาคน", not: []string{"th"}},
	// Ge'ez (Tigrinya): ፡ and ። separate words.
	{q: "ኤጀንሲ", want: []string{"ti"}, first: true},
	{q: "ሓሶት ኤጀንሲ", want: []string{"ti"}, first: true},
	{q: "ስራሕ", want: []string{"ti"}, first: true},
	{q: "ቪዛ", want: []string{"ti"}, first: true},
	{q: "ጣልያን", want: []string{"ti"}, first: true},
	{q: "ፓስፖርት", want: []string{"ti"}},
	{q: "ጉዕዞ፡ዶላር", want: []string{"ti"}},
	{q: "ኤጀንሲ ዶላር", want: []string{"ti"}},
	// Vietnamese: with and without the marks.
	{q: "xuất khẩu lao động", want: []string{"vi"}, first: true},
	{q: "xuat khau lao dong", want: []string{"vi"}, first: true},
	{q: "XUẤT KHẨU", want: []string{"vi"}, first: true},
	{q: "Đài Loan", want: []string{"vi"}, first: true},
	{q: "dai loan", want: []string{"vi"}, first: true},
	{q: "lừa đảo", want: []string{"vi"}, first: true},
	{q: "lua dao", want: []string{"vi"}, first: true},
	{q: "ho chieu", want: []string{"vi"}},
	{q: "Việt", want: []string{"vi"}},
	// Urdu: yeh barree, noon ghunna, heh goal, Arabic or Persian kaf and
	// yeh, Extended Arabic-Indic digits.
	{q: "نوکری", want: []string{"ur"}, first: true},
	{q: "نوكري", want: []string{"ur"}, first: true},
	{q: "میں نوکری", want: []string{"ur"}, first: true},
	{q: "مین نوکری", want: []string{"ur"}, first: true},
	{q: "پیسے", want: []string{"ur"}, first: true},
	{q: "پیسی", want: []string{"ur"}, first: true},
	{q: "مانگتی هے", want: []string{"ur"}, first: true},
	{q: "ایجنسی", want: []string{"ur"}, first: true},
	{q: "۵۰۰۰۰ روپے", want: []string{"ur"}},
	{q: "50000", want: []string{"ur"}},
	{q: "پاسپورٹ", want: []string{"ur"}},
	// Pashto: the Pashto gaf typed as gaf; ښ is not ش.
	{q: "ګټې", want: []string{"ps"}, first: true},
	{q: "گټې", want: []string{"ps"}, first: true},
	{q: "ښه", want: []string{"ps"}, first: true},
	{q: "شه", not: []string{"ps"}},
	{q: "جعلي شرکت", want: []string{"ps"}, first: true},
	{q: "۳۰۰ ډالره", want: []string{"ps"}},
	{q: "پاسپورټ", want: []string{"ps"}},
	// Arabic definite article: with or without it, and with a preposition.
	{q: "الوكالة", want: []string{"ar-wak"}, first: true},
	{q: "وكالة", want: []string{"ar-wak"}, first: true},
	{q: "للوكالة", want: []string{"ar-wak"}, first: true},
	{q: "تحويل", want: []string{"ar-wak"}},
	{q: "استقدام", want: []string{"arabic"}},
	{q: "شركة", want: []string{"arabic"}, first: true},
	{q: "مغرب", want: []string{"arabic", "ar-wak"}},
	// Route countries by name with a typo.
	{q: "Polnad", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Netherlnds", want: []string{"uitzend", "nl-rep"}},
	{q: "Pologen", want: []string{"eurojobs"}},
	{q: "Ukrane", want: []string{"eurojobs", "eurojobs1"}},
	{q: "Itlay", want: []string{"zh", "ti"}},
	// Filters.
	{q: "agency", typ: "experience", want: []string{"insta", "insta-reply"}, not: []string{"eurojobs", "eurojobs1"}},
	{q: "instagram", typ: "warning", not: []string{"insta", "insta-fr"}},
	{q: "instagram", ctry: "FR", want: []string{"insta-fr"}, not: []string{"insta"}},
	{q: "chauffeur", lang: "fr", want: []string{"eurojobs"}},
	{q: "chauffeur", ctry: "ES", not: []string{"eurojobs"}},
	{q: "+44 7700 900123", ctry: "ES", not: []string{"eurojobs"}},
	// Syntax is text.
	{q: `"chauffeur`, want: []string{"eurojobs"}},
	{q: `chauffeur*`, want: []string{"eurojobs"}},
	{q: `chauffeur OR zzz`, not: []string{"eurojobs"}},
	{q: `NEAR(chauffeur poland)`}, // "near" is a word that no text holds
	{q: `title:chauffeur`, not: []string{"eurojobs"}},
	{q: `^chauffeur -poland`, want: []string{"eurojobs"}},
	{q: `chauffeur'; DROP TABLE warnings; --`, not: []string{"eurojobs"}},
	{q: "chauffeur\xff\xfe", want: []string{"eurojobs"}},
	{q: `'chauffeur' & !poland | (`, want: []string{"eurojobs"}},
	{q: `\chauffeur\`, want: []string{"eurojobs"}},
}

func TestSearchTable(t *testing.T) {
	t.Parallel()
	c := newSearchCorpus(t)
	if len(searchCases) < 80 {
		t.Fatalf("only %d cases", len(searchCases))
	}
	for _, tc := range searchCases {
		got := c.found(t, service.SearchQuery{Q: tc.q, Type: tc.typ, Country: tc.ctry, Lang: tc.lang, Limit: 50})
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %s not found in %v", tc.q, w, got)
			}
		}
		if tc.first && len(tc.want) > 0 && (len(got) == 0 || got[0] != tc.want[0]) {
			t.Errorf("%q: %s is not first in %v", tc.q, tc.want[0], got)
		}
		for _, n := range append(slices.Clone(tc.not), hiddenKeys...) {
			if slices.Contains(got, n) {
				t.Errorf("%q: %s found in %v", tc.q, n, got)
			}
		}
		for _, g := range got {
			if strings.HasPrefix(g, "?") {
				t.Errorf("%q: unknown result %s", tc.q, g)
			}
		}
	}
}

// The marks of a result fall on the characters of the query in a run of
// Han, on a word with the article for a query without it, and on an
// Urdu word typed with the Persian yeh.
func TestSearchMarksScripts(t *testing.T) {
	t.Parallel()
	c := newSearchCorpus(t)
	for _, tc := range []struct{ q, title, snippet string }{
		{"签证", "金桥劳务：假<mark>签证</mark>中介骗取出国劳务费", ""},
		{"意大利", "金桥劳务：假签证中介骗取出国劳务费", "他们承诺去<mark>意大利</mark>工作"},
		{"الوكالة", "<mark>وكالة</mark> سفر وهمية", "دفعت <mark>للوكالة</mark>"},
		{"پیسی", "<mark>پیسے</mark>", ""},
		{"lua dao", "<mark>lừa</mark> <mark>đảo</mark>", ""},
	} {
		page, err := c.e.Services.Search.Search(context.Background(), service.SearchQuery{Q: tc.q, Limit: 5})
		if err != nil || len(page.Results) == 0 {
			t.Fatalf("%q: %v, %d results", tc.q, err, len(page.Results))
		}
		r := page.Results[0]
		if !strings.Contains(string(r.TitleHTML), tc.title) {
			t.Errorf("%q: title %q lacks %q", tc.q, r.TitleHTML, tc.title)
		}
		if !strings.Contains(string(r.Snippet), tc.snippet) {
			t.Errorf("%q: snippet %q lacks %q", tc.q, r.Snippet, tc.snippet)
		}
	}
}
