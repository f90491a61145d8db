package extract_test

import (
	"strings"
	"testing"

	"forewarn/app/extract"
)

func TestNormalizePhone(t *testing.T) {
	cases := []struct {
		raw     string
		regions []string
		want    string
		ok      bool
	}{
		{"+44 7700 900123", nil, "+447700900123", true},
		{"+447700900123", []string{"FR"}, "+447700900123", true},
		{"07700 900123", []string{"GB"}, "+447700900123", true},
		{"07700 900123", []string{"gb"}, "+447700900123", true},
		{"07700 900123", []string{"UK"}, "+447700900123", true},
		{"07700 900123", nil, "", false},
		{"0044 7700 900123", nil, "+447700900123", true},
		{"+44 (0) 7700 900123", nil, "+447700900123", true},
		{"+44 (0)20 7946 0018", nil, "+442079460018", true},
		{"٠٠٤٤٧٧٠٠٩٠٠١٢٣", nil, "+447700900123", true},
		{"+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", nil, "+989123456789", true},
		{"＋４４ ７７００ ９００１２３", nil, "+447700900123", true},
		{"+44\u200f7700\u200f900123", nil, "+447700900123", true},
		{"8 (912) 345-67-89", []string{"RU"}, "+79123456789", true},
		{"+380 (50) 123-45-67", nil, "+380501234567", true},
		{"(202) 555-0147", []string{"US", "CA"}, "+12025550147", true},
		{"06 39 98 12 34", []string{"FR"}, "+33639981234", true},
		{"030/12345678", []string{"DE"}, "+493012345678", true},
		// The first region where the number is valid wins, else the first where it is possible.
		{"0612345678", []string{"GB", "FR"}, "+33612345678", true},
		{"0612345678", []string{"GB"}, "+44612345678", true},
		{"0612345678", []string{"", "XX1", "NL"}, "+31612345678", true},
		{"abc", nil, "", false},
		{"", []string{"GB"}, "", false},
		{"+", nil, "", false},
		{"+44 7700 90012a", nil, "", false},
		{"++447700900123", nil, "", false},
		{"+44+7700900123", nil, "", false},
		{"+999 123456", nil, "", false},
		{"+44 77", nil, "", false},
		{"+1234567890123456789", nil, "", false},
		{"tel: +44 7700 900123", nil, "", false},
	}
	for _, c := range cases {
		got, ok := extract.NormalizePhone(c.raw, c.regions...)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", c.raw, c.regions, got, ok, c.want, c.ok)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"Jobs@EuroDrive.Example", "jobs@eurodrive.example"},
		{"  jobs@eurodrive.example\n", "jobs@eurodrive.example"},
		{"ANNA@Gmail.COM.", "anna@gmail.com"},
		{"praca@żłobek-praca.pl", "praca@xn--obek-praca-8zb90e.pl"},
		{"info@работа.рф", "info@xn--80aac6chp.xn--p1ai"},
		{"Ünal@örnek.com.tr", "ünal@xn--rnek-4qa.com.tr"},
		{"first.last+cv@sub.eurodrive.example", "first.last+cv@sub.eurodrive.example"},
		{"jobs at eurodrive dot example", ""},
		{"jobs(at)eurodrive(dot)example", ""},
		{"@eurodrive.example", ""},
		{"jobs@", ""},
		{"jobs@localhost", ""},
		{"a b@eurodrive.example", ""},
		{"a..b@eurodrive.example", ""},
		{".a@eurodrive.example", ""},
		{"a.@eurodrive.example", ""},
		{"jobs@eurodrive.123", ""},
		{"jobs@-bad-.com", ""},
		{"jobs@euro drive.example", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := extract.NormalizeEmail(c.raw)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", c.raw, got, ok, c.want)
		}
	}
}

func TestNormalizeLink(t *testing.T) {
	cases := []struct {
		raw      string
		kind     extract.Kind
		platform string
		want     string
	}{
		{"https://Jobs.EuroDrive.example/apply/?utm_source=fb#x", extract.KindLink, "", "eurodrive.example/apply"},
		{"eurodrive.example", extract.KindLink, "", "eurodrive.example"},
		{"eurodrive.example/", extract.KindLink, "", "eurodrive.example"},
		{"https://user:pw@Jobs.EuroDrive.example:8443/a%2fb/%7Euser?q=%e2%82%ac&b=1&a=&&utm_x=1#frag", extract.KindLink, "", "eurodrive.example/a%2Fb/~user?a=&b=1&q=%E2%82%AC"},
		{"https://eurodrive.example/x?gclid=1&fbclid=2&igshid=3&igsh=4&si=5&ref=6&ref_src=7&mc_cid=8&mc_eid=9&_ga=10&yclid=11&s=12&feature=13&UTM_Source=14&keep=1", extract.KindLink, "", "eurodrive.example/x?keep=1"},
		{"https://работа-европа.рф/вакансии", extract.KindLink, "", "xn----7sbabciu3eekchv.xn--p1ai/%D0%B2%D0%B0%D0%BA%D0%B0%D0%BD%D1%81%D0%B8%D0%B8"},
		{"xn----7sbabciu3eekchv.xn--p1ai/%d0%b2%d0%b0%d0%ba%d0%b0%d0%bd%d1%81%d0%b8%d0%b8", extract.KindLink, "", "xn----7sbabciu3eekchv.xn--p1ai/%D0%B2%D0%B0%D0%BA%D0%B0%D0%BD%D1%81%D0%B8%D0%B8"},
		{"http://185.12.44.3:8080/login/", extract.KindLink, "", "185.12.44.3/login"},
		{"https://[2001:db8::1]/x", extract.KindLink, "", "[2001:db8::1]/x"},
		{"https://scam.blogspot.com/p/jobs.html", extract.KindLink, "", "scam.blogspot.com/p/jobs.html"},
		{"bit.ly/3xYzAB", extract.KindLink, "", "bit.ly/3xYzAB"},
		{"https://BIT.LY/3xYzAB/", extract.KindLink, "", "bit.ly/3xYzAB"},
		{"https://www.youtube.com/watch?v=AbC&feature=share&si=x", extract.KindLink, "", "youtube.com/watch?v=AbC"},
		{"hxxps://eurodrive.example/apply", extract.KindLink, "", "eurodrive.example/apply"},
		{"mailto:Jobs@EuroDrive.example?subject=cv", extract.KindEmail, "", "jobs@eurodrive.example"},
		{"Jobs@EuroDrive.example", extract.KindEmail, "", "jobs@eurodrive.example"},
		{"wa.me/447700900123", extract.KindPhone, "", "+447700900123"},
		{"https://wa.me/447700900123?text=Hi", extract.KindPhone, "", "+447700900123"},
		{"https://api.whatsapp.com/send?phone=447700900123", extract.KindPhone, "", "+447700900123"},
		{"https://api.whatsapp.com/send/?phone=%2B447700900123&type=phone_number", extract.KindPhone, "", "+447700900123"},
		{"whatsapp.com/send?phone=447700900123", extract.KindPhone, "", "+447700900123"},
		{"whatsapp://send?phone=447700900123", extract.KindPhone, "", "+447700900123"},
		{"viber://chat?number=%2B447700900123", extract.KindPhone, "", "+447700900123"},
		{"viber://chat?number=+447700900123", extract.KindPhone, "", "+447700900123"},
		{"viber://add?number=447700900123", extract.KindPhone, "", "+447700900123"},
		{"https://t.me/+447700900123", extract.KindPhone, "", "+447700900123"},
		{"wa.me/message/ABCDEF", extract.KindLink, "", "wa.me/message/ABCDEF"},
		{"https://chat.whatsapp.com/Fg12AbCdEf", extract.KindLink, "", "chat.whatsapp.com/Fg12AbCdEf"},
		{"t.me/rabota_eu", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"https://telegram.me/Rabota_EU/", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"telegram.dog/rabota_eu", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"t.me/s/rabota_eu", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"t.me/rabota_eu/125", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"tg://resolve?domain=rabota_eu", extract.KindSocial, "telegram", "telegram:rabota_eu"},
		{"t.me/joinchat/AAAAAEk1", extract.KindLink, "", "t.me/joinchat/AAAAAEk1"},
		{"t.me/+AbCdEfGh12", extract.KindLink, "", "t.me/+AbCdEfGh12"},
		{"t.me/ab", extract.KindLink, "", "t.me/ab"},
		{"instagram.com/visa_fast", extract.KindSocial, "instagram", "instagram:visa_fast"},
		{"https://www.instagram.com/Visa_Fast/?igshid=MzRlODBiNWFlZA==", extract.KindSocial, "instagram", "instagram:visa_fast"},
		{"https://m.instagram.com/visa_fast?igsh=abc", extract.KindSocial, "instagram", "instagram:visa_fast"},
		{"instagram.com/p/Cx12AbC/", extract.KindLink, "", "instagram.com/p/Cx12AbC"},
		{"instagram.com/reel/Cx12AbC", extract.KindLink, "", "instagram.com/reel/Cx12AbC"},
		{"https://www.facebook.com/EuroDrive.Jobs/", extract.KindSocial, "facebook", "facebook:eurodrive.jobs"},
		{"https://m.facebook.com/EuroDrive.Jobs?ref=bookmarks", extract.KindSocial, "facebook", "facebook:eurodrive.jobs"},
		{"fb.com/agrostar.farm", extract.KindSocial, "facebook", "facebook:agrostar.farm"},
		{"fb.me/agrostar.farm", extract.KindSocial, "facebook", "facebook:agrostar.farm"},
		{"m.me/visafast", extract.KindSocial, "facebook", "facebook:visafast"},
		{"facebook.com/profile.php?id=100089123456789", extract.KindSocial, "facebook", "facebook:id:100089123456789"},
		{"https://facebook.com/100012345678901", extract.KindSocial, "facebook", "facebook:id:100012345678901"},
		{"facebook.com/people/Anna-Visa/100012345678901/", extract.KindSocial, "facebook", "facebook:id:100012345678901"},
		{"facebook.com/groups/praca.niemcy/", extract.KindLink, "", "facebook.com/groups/praca.niemcy"},
		{"facebook.com/profile.php", extract.KindLink, "", "facebook.com/profile.php"},
		{"https://business.facebook.com/EuroDrive", extract.KindLink, "", "business.facebook.com/EuroDrive"},
		{"https://rabota-eu.t.me/", extract.KindLink, "", "rabota-eu.t.me"},
		{"https://rabota.t.me/", extract.KindSocial, "telegram", "telegram:rabota"},
		{"0.instagram.com/0", extract.KindLink, "", "0.instagram.com/0"},
		{"tiktok.com/@easy.visa", extract.KindSocial, "tiktok", "tiktok:easy.visa"},
		{"https://www.tiktok.com/@easy.visa/video/123?lang=en", extract.KindSocial, "tiktok", "tiktok:easy.visa"},
		{"https://vm.tiktok.com/ZMabc123/", extract.KindLink, "", "vm.tiktok.com/ZMabc123"},
		{"https://x.com/VisaFastEU", extract.KindSocial, "x", "x:visafasteu"},
		{"https://x.com/VisaFastEU/status/123", extract.KindSocial, "x", "x:visafasteu"},
		{"twitter.com/VisaFastEU?ref_src=twsrc", extract.KindSocial, "x", "x:visafasteu"},
		{"https://x.com/intent/tweet", extract.KindLink, "", "x.com/intent/tweet"},
		{"vk.com/rabota_polsha", extract.KindSocial, "vk", "vk:rabota_polsha"},
		{"https://vk.com/id123456", extract.KindSocial, "vk", "vk:id123456"},
		{"https://vk.com/wall-123_456", extract.KindLink, "", "vk.com/wall-123_456"},
		{"https://www.linkedin.com/in/anna-recruiter-123/", extract.KindSocial, "linkedin", "linkedin:anna-recruiter-123"},
		{"https://uk.linkedin.com/in/anna-r", extract.KindSocial, "linkedin", "linkedin:anna-r"},
		{"https://www.linkedin.com/company/eurodrive", extract.KindLink, "", "linkedin.com/company/eurodrive"},
	}
	for _, c := range cases {
		kind, platform, got, ok := extract.NormalizeLink(c.raw)
		if !ok || kind != c.kind || platform != c.platform || got != c.want {
			t.Errorf("NormalizeLink(%q) = %s, %q, %q, %v; want %s, %q, %q", c.raw, kind, platform, got, ok, c.kind, c.platform, c.want)
		}
	}
	for _, raw := range []string{"", "co.uk", "localhost/x", "ftp://eurodrive.example/x", "https://", "https://blogspot.com",
		"eurodrive.example/a b", "https://eurodrive.example:port/", "javascript:alert(1)", "https://1.2.3.999/", "viber://chat?number=abc",
		"tg://join?invite=abc", "mailto:nobody", "jobs@eurodrive.example/x", "https://exa_mple.com/", "https://rabota_eu.t.me"} {
		if kind, platform, got, ok := extract.NormalizeLink(raw); ok {
			t.Errorf("NormalizeLink(%q) = %s, %q, %q, true; want not ok", raw, kind, platform, got)
		}
	}
}

func TestNormalizeHandle(t *testing.T) {
	cases := []struct{ platform, handle, want string }{
		{"instagram", "@Visa_Fast", "instagram:visa_fast"},
		{"Instagram", " visa.fast.eu ", "instagram:visa.fast.eu"},
		{"TELEGRAM", "@Rabota_EU", "telegram:rabota_eu"},
		{"twitter", "VisaFastEU", "x:visafasteu"},
		{"x", "@VisaFastEU", "x:visafasteu"},
		{"fb", "EuroDrive.Jobs", "facebook:eurodrive.jobs"},
		{"facebook", "id:123", "facebook:id:123"},
		{"facebook", "100012345678901", "facebook:id:100012345678901"},
		{"tiktok", "@easy.visa", "tiktok:easy.visa"},
		{"vk", "id123456", "vk:id123456"},
		{"linkedin", "anna-recruiter-123", "linkedin:anna-recruiter-123"},
		{"viber", "robota_ua", "viber:robota_ua"},
		{"whatsapp", "jobs.uk", "whatsapp:jobs.uk"},
		{"myspace", "anna", ""},
		{"", "anna", ""},
		{"instagram", "", ""},
		{"instagram", "@", ""},
		{"instagram", "visa fast", ""},
		{"instagram", "visa-fast", ""},
		{"instagram", ".visa", ""},
		{"instagram", "___", ""},
		{"telegram", "ab", ""},
		{"telegram", "rabota.eu", ""},
		{"x", "a_very_long_handle_for_x", ""},
		{"facebook", "id:12a", ""},
		{"instagram", "виза", ""},
	}
	for _, c := range cases {
		got, ok := extract.NormalizeHandle(c.platform, c.handle)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("NormalizeHandle(%q, %q) = %q, %v; want %q", c.platform, c.handle, got, ok, c.want)
		}
	}
}

func TestNormalizeIBAN(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"de89370400440532013000", "DE89370400440532013000"},
		{"DE89-3704-0044-0532-0130-00", "DE89370400440532013000"},
		{"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
		{"nl91 abna 0417 1643 00", "NL91ABNA0417164300"},
		{"PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"},
		{"RO49 AAAA 1B31 0075 9384 0000", "RO49AAAA1B31007593840000"},
		{"UA21 3223 1300 0002 6007 2335 6600 1", "UA213223130000026007233566001"},
		{"TR33 0006 1005 1978 6457 8413 26", "TR330006100519786457841326"},
		{"MD24 AG00 0225 1000 1310 4168", "MD24AG000225100013104168"},
		{"BE68 5390 0754 7034", "BE68539007547034"},
		{"IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456"},
		{"FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"},
		{"ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"},
		{"CH93 0076 2011 6238 5295 7", "CH9300762011623852957"},
		{"DE89 3704 0044 0532 0130 01", ""},      // bad checksum
		{"DE89 3704 0044 0532 0130 000", ""},     // too long for DE
		{"DE89 3704 0044 0532 0130 0", ""},       // too short for DE
		{"XX89 3704 0044 0532 0130 00", ""},      // unknown country
		{"DE89 3704 0044 0532 0130 0O", ""},      // letter O for zero
		{"DE89.3704.0044.0532.0130.00", ""},      // dots
		{"12 1020 1026 0000 0402 0123 4567", ""}, // no country code
		{"", ""},
	}
	for _, c := range cases {
		got, ok := extract.NormalizeIBAN(c.raw)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("NormalizeIBAN(%q) = %q, %v; want %q", c.raw, got, ok, c.want)
		}
	}
}

func TestFoldName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"EuroDrive Logistics B.V.", "eurodrive logistics bv"},
		{"Özel İnşaat Ltd.", "ozel insaat ltd"},
		{"ISTANBUL", "istanbul"},
		{"ıstanbul", "istanbul"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Œuvre", "oeuvre"},
		{"Æble", "aeble"},
		{"Ørsted", "orsted"},
		{"Łódź", "lodz"},
		{"Đorđe", "dorde"},
		{"  Smith  &  Sons  ", "smith sons"},
		{"O'Brien’s", "obriens"},
		{"Trans-Polska Sp. z o.o.", "trans polska sp z oo"},
		{"Агентство «Гарант»", "агентство гарант"},
		{"Ёлка", "елка"},
		{"ＡＢＣ Ｌｔｄ", "abc ltd"},
		{"وكالة النجاح", "وکاله النجاح"},
		{"آژانس کار پارس", "اژانس کار پارس"},
		{"واتس\u200cاپ", "واتساپ"},
		{"١٢٣ Jobs", "123 jobs"},
		{"Ferma Nordică", "ferma nordica"},
		{"Çelik Yapı", "celik yapi"},
		{"Visa_Fast", "visafast"},
		{"Jobs\t\n Europe", "jobs europe"},
		{"ﬁnance", "finance"},
		{"", ""},
		{"...", ""},
	}
	for _, c := range cases {
		if got := extract.FoldName(c.in); got != c.want {
			t.Errorf("FoldName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNewCompanies(t *testing.T) {
	c := extract.NewCompanies([]string{"Agro Star", "AGRO STAR", "A.B.", "ab", "", "  ", "Öz", "Nord Care", "Nord Care Group"})
	got := extract.Extract("Nord Care Group and Nord Care, ab, A.B., Öz, agro star", extract.Options{Companies: c})
	want := []string{"nord care group", "nord care", "agro star"}
	if len(got) != len(want) {
		t.Fatalf("Extract = %s, want %q (short names are not looked for)", describe(got), want)
	}
	for i, w := range want {
		if got[i].Normalized != w {
			t.Errorf("#%d = %q, want %q (the longest name wins)", i, got[i].Normalized, w)
		}
	}
	if got := extract.Extract("Nord Care", extract.Options{Companies: extract.NewCompanies(nil)}); len(got) != 0 {
		t.Errorf("Extract with no names = %s", describe(got))
	}
}

// fiveWays are traces written in several ways that must each give one value.
var fiveWays = []struct {
	name       string
	kind       extract.Kind
	platform   string
	normalized string
	region     string
	writings   []string
}{
	{"phone", extract.KindPhone, "", "+447700900123", "GB", []string{
		"+44 7700 900123", "07700 900123", "0044 7700 900 123", "+44 (0)7700-900-123", "\u200e+٤٤ ٧٧٠٠ ٩٠٠١٢٣",
		"＋４４ ７７００ ９００１２３", "(07700) 900123", "wa.me/447700900123", "WhatsApp 447700900123",
		"viber://chat?number=%2B447700900123", "https://api.whatsapp.com/send?phone=447700900123",
	}},
	{"link", extract.KindLink, "", "eurodrive.example/apply", "", []string{
		"https://Jobs.EuroDrive.example/apply/?utm_source=fb#x", "http://eurodrive.example/apply", "www.eurodrive.example/apply/",
		"EuroDrive.example/apply?fbclid=123", "https://jobs.eurodrive.example:443/apply#top",
		"HTTPS://WWW.EURODRIVE.EXAMPLE/apply?utm_campaign=x&gclid=y",
	}},
	{"email", extract.KindEmail, "", "jobs@eurodrive.example", "", []string{
		"jobs@eurodrive.example", "JOBS@EuroDrive.Example", "jobs(at)eurodrive(dot)example", "jobs [at] eurodrive [dot] example",
		"jobs @ eurodrive . example", "ｊｏｂｓ＠ｅｕｒｏｄｒｉｖｅ．ｅｘａｍｐｌｅ", "mailto:jobs@eurodrive.example",
	}},
	{"telegram", extract.KindSocial, "telegram", "telegram:rabota_eu", "", []string{
		"t.me/rabota_eu", "https://telegram.me/Rabota_EU", "Telegram: @rabota_eu", "телеграм @Rabota_Eu",
		"tg://resolve?domain=rabota_eu", "t.me/s/rabota_eu", "تلگرام: @rabota_eu",
	}},
	{"instagram", extract.KindSocial, "instagram", "instagram:visa_fast", "", []string{
		"instagram.com/visa_fast", "https://www.instagram.com/Visa_Fast/?igshid=abc", "m.instagram.com/visa_fast/",
		"Instagram: @visa_fast", "инстаграм @VISA_FAST", "IG @visa_fast",
	}},
	{"iban", extract.KindBankAccount, "", "DE89370400440532013000", "", []string{
		"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "de89 3704 0044 0532 0130 00",
		"DE89-3704-0044-0532-0130-00", "ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００",
	}},
	{"company", extract.KindCompany, "", "eurodrive logistics bv", "", []string{
		"EuroDrive Logistics B.V.", "EURODRIVE LOGISTICS BV", "Eurodrive Logistics B.V", "eurodrive  logistics b.v.",
		"Eurodrive Logistics, B.V.", "ＥｕｒｏＤｒｉｖｅ Ｌｏｇｉｓｔｉｃｓ ＢＶ",
	}},
}

func TestFiveWays(t *testing.T) {
	for _, g := range fiveWays {
		t.Run(g.name, func(t *testing.T) {
			if len(g.writings) < 5 {
				t.Fatalf("only %d writings", len(g.writings))
			}
			for _, w := range g.writings {
				got := extract.Extract(w, extract.Options{Region: g.region, Companies: testCompanies})
				if len(got) != 1 || got[0].Kind != g.kind || got[0].Platform != g.platform || got[0].Normalized != g.normalized {
					t.Errorf("Extract(%q) = %s, want one %s %q", w, describe(got), g.kind, g.normalized)
				}
			}
			// All of them in one text are one indicator.
			text := strings.Join(g.writings, " ;\n")
			got := extract.Extract(text, extract.Options{Region: g.region, Companies: testCompanies})
			if len(got) != 1 || got[0].Normalized != g.normalized || got[0].Raw != g.writings[0] {
				t.Errorf("Extract(all writings) = %s, want the first one only", describe(got))
			}
		})
	}
}

func TestExtractOffsets(t *testing.T) {
	text := "Телефон: +44 7700 900123 🙂 почта: jobs＠eurodrive．example"
	got := extract.Extract(text, extract.Options{})
	want := []struct {
		kind       extract.Kind
		start, end int
	}{
		{extract.KindPhone, 16, 31}, // after 7 Cyrillic letters (2 bytes each), ':' and a space
		{extract.KindEmail, 49, 75}, // after the emoji (4 bytes); full-width @ and dot are 3 bytes each
	}
	if len(got) != len(want) {
		t.Fatalf("Extract = %s", describe(got))
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Start != w.start || got[i].End != w.end {
			t.Errorf("#%d = %s [%d:%d], want %s [%d:%d]", i, got[i].Kind, got[i].Start, got[i].End, w.kind, w.start, w.end)
		}
	}
}

func TestExtractEmpty(t *testing.T) {
	for _, text := range []string{"", " ", "\n\n", "🙂🙂", "no indicators here at all"} {
		if got := extract.Extract(text, extract.Options{Region: "GB"}); len(got) != 0 {
			t.Errorf("Extract(%q) = %s, want none", text, describe(got))
		}
	}
}
