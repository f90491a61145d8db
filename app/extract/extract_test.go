package extract_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"forewarn/app/extract"
)

// want is one expected indicator. When raw is set, Found.Raw must be raw and
// Found.Start its first index in the text.
type want struct {
	kind       extract.Kind
	platform   string
	normalized string
	raw        string
}

func phone(n, raw string) want { return want{extract.KindPhone, "", n, raw} }
func email(n, raw string) want { return want{extract.KindEmail, "", n, raw} }
func link(n, raw string) want  { return want{extract.KindLink, "", n, raw} }
func iban(n, raw string) want  { return want{extract.KindBankAccount, "", n, raw} }
func company(n, raw string) want {
	return want{extract.KindCompany, "", n, raw}
}
func social(platform, handle, raw string) want {
	return want{extract.KindSocial, platform, platform + ":" + handle, raw}
}

// testCompanies are the names of agencies and employers named in the
// warnings of the test cases.
var testCompanies = extract.NewCompanies([]string{
	"EuroDrive Logistics B.V.", "Agro Star", "Özel İnşaat Ltd.", "Visa Fast", "Trans-Polska Sp. z o.o.",
	"Nord Care", "Global Work Europe", "Агентство Гарант", "وكالة النجاح", "Çelik Yapı", "Ferma Nordică",
	"CleanPro Services", "Kraków Logistics", "Sky Visa Consulting", "آژانس کار پارس", "Bouw & Zonen",
	"金桥劳务", "ሓበሻ ስራሕ ኤጀንሲ", "ビザ代行", "ملازمت ایجنسی", "金桥",
	"", "AB", "  ",
})

type extractCase struct {
	name   string // language/country: what
	region string
	text   string
	want   []want
}

// offerCases are shaped on real offers: fake driver, warehouse, farm,
// construction, cleaning and care jobs, visa agencies, document sellers and
// smuggling offers.
var offerCases = []extractCase{
	// United Kingdom.
	{"en/GB: driver, national", "GB", "Driver needed, C+E licence. Call Mark on 07700 900123 today.",
		[]want{phone("+447700900123", "07700 900123")}},
	{"en/GB: warehouse, international", "", "Warehouse shifts, WhatsApp +44 7700 900 456 now",
		[]want{phone("+447700900456", "+44 7700 900 456")}},
	{"en/GB: (0) trunk prefix", "", "Office: +44 (0)20 7946 0018, ask for Tom",
		[]want{phone("+442079460018", "+44 (0)20 7946 0018")}},
	{"en/GB: 00 prefix", "", "From abroad ring 0044 7700 900789",
		[]want{phone("+447700900789", "0044 7700 900789")}},
	{"en/GB: dots", "GB", "Cleaning job in Leeds — 07700.900.321",
		[]want{phone("+447700900321", "07700.900.321")}},
	{"en/GB: dashes", "GB", "farm work, text 07700-900-654!",
		[]want{phone("+447700900654", "07700-900-654")}},
	{"en/GB: two numbers with a comma", "GB", "Call 07700 900111, 07700 900222",
		[]want{phone("+447700900111", "07700 900111"), phone("+447700900222", "07700 900222")}},
	{"en/GB: two numbers with a space", "GB", "Call 07700 900333 07700 900444 anytime",
		[]want{phone("+447700900333", "07700 900333"), phone("+447700900444", "07700 900444")}},
	{"en/GB: London landline", "GB", "Our London office 020 7946 0958 (9-17)",
		[]want{phone("+442079460958", "020 7946 0958")}},
	// United States.
	{"en/US: visa interview", "US", "Call (202) 555-0147 to book your visa interview",
		[]want{phone("+12025550147", "(202) 555-0147")}},
	{"en/US: international with dashes", "", "Recruiter: +1 213-555-0172",
		[]want{phone("+12135550172", "+1 213-555-0172")}},
	{"en/US: 1- prefix", "US", "Toll free style 1-202-555-0183 for H-2A farm visas",
		[]want{phone("+12025550183", "1-202-555-0183")}},
	{"en/US: dots", "US", "text 202.555.0199.",
		[]want{phone("+12025550199", "202.555.0199")}},
	// France.
	{"fr/FR: forklift, national pairs", "FR", "Appelez le 06 39 98 12 34 pour le poste de cariste.",
		[]want{phone("+33639981234", "06 39 98 12 34")}},
	{"fr/FR: international", "", "Contact WhatsApp +33 6 39 98 45 67",
		[]want{phone("+33639984567", "+33 6 39 98 45 67")}},
	{"fr/FR: dots", "FR", "Tél. 06.39.98.11.22 (Mme Dubois)",
		[]want{phone("+33639981122", "06.39.98.11.22")}},
	{"fr/FR: (0) trunk prefix", "", "Tel : +33 (0)6 39 98 76 54",
		[]want{phone("+33639987654", "+33 (0)6 39 98 76 54")}},
	{"fr/FR: 0033 prefix", "", "depuis l'étranger 0033 6 39 98 00 11",
		[]want{phone("+33639980011", "0033 6 39 98 00 11")}},
	{"fr/FR: landline", "FR", "Bureau : 01 99 00 12 34, du lundi au vendredi",
		[]want{phone("+33199001234", "01 99 00 12 34")}},
	// Germany.
	{"de/DE: driver, mobile", "DE", "Fahrer gesucht! Ruf an: 0151 2345 6789",
		[]want{phone("+4915123456789", "0151 2345 6789")}},
	{"de/DE: international", "", "Kontakt +49 151 23456789 (auch WhatsApp)",
		[]want{phone("+4915123456789", "+49 151 23456789")}},
	{"de/DE: slash", "DE", "Tel. 030/12345678 Büro Berlin",
		[]want{phone("+493012345678", "030/12345678")}},
	{"de/DE: (0) trunk prefix", "", "Telefon +49 (0)30 1234 5678",
		[]want{phone("+493012345678", "+49 (0)30 1234 5678")}},
	// Netherlands.
	{"nl/NL: greenhouse, dash", "NL", "Bel of app 06-12345678 voor werk in de kassen",
		[]want{phone("+31612345678", "06-12345678")}},
	{"nl/NL: international", "", "Bel +31 6 1234 5678",
		[]want{phone("+31612345678", "+31 6 1234 5678")}},
	{"nl/NL: landline", "NL", "Kantoor Amsterdam 020 123 4567",
		[]want{phone("+31201234567", "020 123 4567")}},
	// Belgium.
	{"fr/BE: care, national", "BE", "Aide-soignante, contact : 0470 12 34 56",
		[]want{phone("+32470123456", "0470 12 34 56")}},
	{"nl/BE: international", "", "Bel ons op +32 470 12 34 56",
		[]want{phone("+32470123456", "+32 470 12 34 56")}},
	// Spain.
	{"es/ES: field work", "ES", "Llama al 612 345 678 para trabajar en el campo",
		[]want{phone("+34612345678", "612 345 678")}},
	{"es/ES: international pairs", "", "WhatsApp +34 612 34 56 78",
		[]want{phone("+34612345678", "+34 612 34 56 78")}},
	// Italy.
	{"it/IT: mobile", "IT", "Raccolta pomodori, chiama il 347 123 4567",
		[]want{phone("+393471234567", "347 123 4567")}},
	{"it/IT: Rome landline keeps its 0", "IT", "Ufficio 06 1234 5678",
		[]want{phone("+390612345678", "06 1234 5678")}},
	// Poland.
	{"pl/PL: warehouse", "PL", "Praca na magazynie, dzwoń 512 345 678",
		[]want{phone("+48512345678", "512 345 678")}},
	{"pl/PL: international dashes", "", "Kontakt +48 512-345-678",
		[]want{phone("+48512345678", "+48 512-345-678")}},
	{"pl/PL: Warsaw landline", "PL", "biuro tel. 22 123 45 67",
		[]want{phone("+48221234567", "22 123 45 67")}},
	// Romania.
	{"ro/RO: construction", "RO", "Sunați la 0721 234 567 pentru muncă în Germania",
		[]want{phone("+40721234567", "0721 234 567")}},
	{"ro/RO: international", "", "Informații: +40 721 234 567",
		[]want{phone("+40721234567", "+40 721 234 567")}},
	// Ukraine.
	{"uk/UA: national", "UA", "Робота в Польщі, телефонуйте 067 123 4567",
		[]want{phone("+380671234567", "067 123 4567")}},
	{"uk/UA: international", "", "Вайбер +380 50 123 45 67",
		[]want{phone("+380501234567", "+380 50 123 45 67")}},
	{"uk/UA: +38 and operator code in parentheses", "", "тел. +38 (050) 123-45-67",
		[]want{phone("+380501234567", "+38 (050) 123-45-67")}},
	{"uk/UA: parentheses, national", "UA", "Дзвоніть (067) 123-45-67",
		[]want{phone("+380671234567", "(067) 123-45-67")}},
	// Moldova.
	{"ro/MD: national", "MD", "Lucru în Israel, sunați 069 123 456",
		[]want{phone("+37369123456", "069 123 456")}},
	{"ru/MD: international", "", "Работа в Чехии, звоните +373 69 123 456",
		[]want{phone("+37369123456", "+373 69 123 456")}},
	// Turkey.
	{"tr/TR: national", "TR", "İş için arayın: 0532 123 45 67",
		[]want{phone("+905321234567", "0532 123 45 67")}},
	{"tr/TR: international", "", "Almanya'da iş, WhatsApp +90 532 123 45 67",
		[]want{phone("+905321234567", "+90 532 123 45 67")}},
	// Morocco.
	{"ar/MA: national", "MA", "للعمل في إسبانيا اتصل 06 12 34 56 78",
		[]want{phone("+212612345678", "06 12 34 56 78")}},
	{"fr/MA: international", "", "Saisonniers fraises Huelva : +212 6 12 34 56 78",
		[]want{phone("+212612345678", "+212 6 12 34 56 78")}},
	// Nigeria.
	{"en/NG: care visa, national", "NG", "Call 0803 123 4567 for UK care jobs",
		[]want{phone("+2348031234567", "0803 123 4567")}},
	{"en/NG: international", "", "WhatsApp +234 803 123 4567",
		[]want{phone("+2348031234567", "+234 803 123 4567")}},
	// Philippines.
	{"en/PH: national", "PH", "Text 0917 123 4567 for Dubai housekeeping",
		[]want{phone("+639171234567", "0917 123 4567")}},
	{"en/PH: international", "", "Viber +63 917 123 4567",
		[]want{phone("+639171234567", "+63 917 123 4567")}},
	// India.
	{"en/IN: national", "IN", "Europe work permit, contact 098765 43210",
		[]want{phone("+919876543210", "098765 43210")}},
	{"en/IN: international", "", "Call +91 98765 43210",
		[]want{phone("+919876543210", "+91 98765 43210")}},
	// Afghanistan.
	{"fa/AF: Persian digits", "AF", "برای ویزا تماس بگیرید ۰۷۰۱۲۳۴۵۶۷",
		[]want{phone("+93701234567", "۰۷۰۱۲۳۴۵۶۷")}},
	{"fa/AF: international", "", "واتساپ +93 70 123 4567",
		[]want{phone("+93701234567", "+93 70 123 4567")}},
	// Australia.
	{"en/AU: national", "AU", "Fruit picking visa: 0491 570 156",
		[]want{phone("+61491570156", "0491 570 156")}},
	{"en/AU: international", "", "Call +61 491 570 157",
		[]want{phone("+61491570157", "+61 491 570 157")}},
	// Russia.
	{"ru/RU: 8 trunk prefix", "RU", "Звоните 8 (912) 345-67-89",
		[]want{phone("+79123456789", "8 (912) 345-67-89")}},
	{"ru/RU: international", "", "Работа в Германии +7 912 345-67-89",
		[]want{phone("+79123456789", "+7 912 345-67-89")}},
	// Digits and marks of other scripts.
	{"ar: Arabic-Indic digits with 00", "", "واتساب ٠٠٤٤٧٧٠٠٩٠٠١٢٣",
		[]want{phone("+447700900123", "٠٠٤٤٧٧٠٠٩٠٠١٢٣")}},
	{"ar: Arabic-Indic digits with +", "", "اتصل على +٤٤ ٧٧٠٠ ٩٠٠١٢٣ الآن",
		[]want{phone("+447700900123", "+٤٤ ٧٧٠٠ ٩٠٠١٢٣")}},
	{"fa: Persian digits after a direction mark", "", "شماره تماس: \u200e+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹",
		[]want{phone("+989123456789", "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹")}},
	{"fa/IR: national Persian digits", "IR", "کار در ترکیه، تماس ۰۹۱۲ ۳۴۵ ۶۷۸۹",
		[]want{phone("+989123456789", "۰۹۱۲ ۳۴۵ ۶۷۸۹")}},
	{"en: full-width digits and plus", "", "Ｔｅｌ：＋４４ ７７００ ９００１２３",
		[]want{phone("+447700900123", "＋４４ ７７００ ９００１２３")}},
	{"ar: right-to-left marks inside", "", "رقم \u200f+44\u200f 7700\u200f 900123",
		[]want{phone("+447700900123", "+44\u200f 7700\u200f 900123")}},
	{"uk: isolates around the number", "", "Телефон \u2066+380 67 123 4567\u2069!",
		[]want{phone("+380671234567", "+380 67 123 4567")}},
	{"ar: embedding marks around digits", "", "\u202b+44 7700 900124\u202c",
		[]want{phone("+447700900124", "+44 7700 900124")}},
	{"ar: plus written after the digits", "", "واتساب 447700900123+ فقط",
		[]want{phone("+447700900123", "447700900123+")}},
	{"en: WhatsApp number without +", "", "WhatsApp 447700900555 for details",
		[]want{phone("+447700900555", "447700900555")}},
	{"pl: Viber number without + read abroad", "PL", "viber 380671234567",
		[]want{phone("+380671234567", "380671234567")}},
	// The words that announce a phone number in the later languages.
	{"zh: WeChat inside a run of Han", "", "请加微信 447700900561 咨询",
		[]want{phone("+447700900561", "447700900561")}},
	{"zh: telephone", "", "电话：447700900562",
		[]want{phone("+447700900562", "447700900562")}},
	{"ur: phone number", "", "فون نمبر 447700900563 پر رابطہ کریں",
		[]want{phone("+447700900563", "447700900563")}},
	{"ps: number", "", "زموږ شمېره 447700900564 ده",
		[]want{phone("+447700900564", "447700900564")}},
	{"ti: phone", "", "ስልኪ 447700900565",
		[]want{phone("+447700900565", "447700900565")}},
	{"so: call", "", "Shaqo Jarmal, wac 447700900566",
		[]want{phone("+447700900566", "447700900566")}},
	{"vi: Zalo", "", "Việc làm ở Ba Lan, liên hệ Zalo 447700900567",
		[]want{phone("+447700900567", "447700900567")}},
	{"pt: call", "", "Trabalho na Alemanha, ligue 447700900568",
		[]want{phone("+447700900568", "447700900568")}},
	{"fr/FR: two numbers with a slash", "FR", "Tél 06 12 34 56 78 / 06 98 76 54 32",
		[]want{phone("+33612345678", "06 12 34 56 78"), phone("+33698765432", "06 98 76 54 32")}},
	{"en: Devanagari digits", "", "call +९१ ९८७६५ ४३२१०",
		[]want{phone("+919876543210", "+९१ ९८७६५ ४३२१०")}},

	// E-mail addresses.
	{"en: plain", "", "Send your CV to jobs@eurodrive.example today",
		[]want{email("jobs@eurodrive.example", "jobs@eurodrive.example")}},
	{"en: upper case", "", "HR@EuroDrive.Example",
		[]want{email("hr@eurodrive.example", "HR@EuroDrive.Example")}},
	{"en: (at) (dot)", "", "mail jobs(at)eurodrive(dot)example",
		[]want{email("jobs@eurodrive.example", "jobs(at)eurodrive(dot)example")}},
	{"en: [at] [dot]", "", "write to hr [at] nordcare [dot] example please",
		[]want{email("hr@nordcare.example", "hr [at] nordcare [dot] example")}},
	{"en: at and dot as words", "", "Contact anna.k at gmail dot com",
		[]want{email("anna.k@gmail.com", "anna.k at gmail dot com")}},
	{"ru: spaced @ and dot", "", "пишите visa.center @ mail . ru",
		[]want{email("visa.center@mail.ru", "visa.center @ mail . ru")}},
	{"en: full-width", "", "ｊｏｂｓ＠ｅｕｒｏｄｒｉｖｅ．ｅｘａｍｐｌｅ",
		[]want{email("jobs@eurodrive.example", "ｊｏｂｓ＠ｅｕｒｏｄｒｉｖｅ．ｅｘａｍｐｌｅ")}},
	{"pl: internationalised domain", "", "CV na praca@żłobek-praca.pl",
		[]want{email("praca@xn--obek-praca-8zb90e.pl", "praca@żłobek-praca.pl")}},
	{"ru: Cyrillic domain", "", "Анкету на info@работа.рф",
		[]want{email("info@xn--80aac6chp.xn--p1ai", "info@работа.рф")}},
	{"ru: собака and точка", "", "пишите rabota собака gmail точка com",
		[]want{email("rabota@gmail.com", "rabota собака gmail точка com")}},
	{"es: arroba and punto", "", "Escribe a empleo arroba hotmail punto com",
		[]want{email("empleo@hotmail.com", "empleo arroba hotmail punto com")}},
	{"en: at word before a mail provider", "", "write to jobs.uk at gmail.com now",
		[]want{email("jobs.uk@gmail.com", "jobs.uk at gmail.com")}},
	{"en: dot word in the local part", "", "john dot smith at gmail dot com",
		[]want{email("john.smith@gmail.com", "john dot smith at gmail dot com")}},
	{"ar: after Arabic text", "", "راسلنا على visa.dubai@outlook.com للتفاصيل",
		[]want{email("visa.dubai@outlook.com", "visa.dubai@outlook.com")}},
	{"fa: after a Persian colon", "", "ایمیل: kar.europe@yahoo.com",
		[]want{email("kar.europe@yahoo.com", "kar.europe@yahoo.com")}},
	{"tr: (@) in brackets", "", "başvuru: ik (@) celik-yapi.example",
		[]want{email("ik@celik-yapi.example", "ik (@) celik-yapi.example")}},
	{"de: umlaut domain", "", "Bewerbung an info@münchen-jobs.de",
		[]want{email("info@xn--mnchen-jobs-thb.de", "info@münchen-jobs.de")}},
	{"fr: point as a word", "", "écrivez à recrutement arroba soins point be",
		[]want{email("recrutement@soins.be", "recrutement arroba soins point be")}},

	// Links.
	{"en: tracking, subdomain, fragment", "", "Apply: https://Jobs.EuroDrive.example/apply/?utm_source=fb#x",
		[]want{link("eurodrive.example/apply", "https://Jobs.EuroDrive.example/apply/?utm_source=fb#x")}},
	{"ro: www without scheme", "", "Detalii pe www.agrostar-jobs.example",
		[]want{link("agrostar-jobs.example", "www.agrostar-jobs.example")}},
	{"en: query sorted, tracking dropped", "", "eurodrive.example/Apply/Form?b=2&a=1&utm_medium=x",
		[]want{link("eurodrive.example/Apply/Form?a=1&b=2", "eurodrive.example/Apply/Form?b=2&a=1&utm_medium=x")}},
	{"en: bit.ly keeps the case of its code", "", "Register here bit.ly/3xYzAB",
		[]want{link("bit.ly/3xYzAB", "bit.ly/3xYzAB")}},
	{"en: tinyurl with scheme", "", "https://tinyurl.com/Visa2026",
		[]want{link("tinyurl.com/Visa2026", "")}},
	{"en: t.co", "", "see t.co/AbCdEf",
		[]want{link("t.co/AbCdEf", "t.co/AbCdEf")}},
	{"uk: cutt.ly", "", "Анкета: cutt.ly/wXyZ",
		[]want{link("cutt.ly/wXyZ", "cutt.ly/wXyZ")}},
	{"en: is.gd", "", "https://is.gd/Q1w2E3.",
		[]want{link("is.gd/Q1w2E3", "https://is.gd/Q1w2E3")}},
	{"en: rb.gy", "", "rb.gy/ab12c",
		[]want{link("rb.gy/ab12c", "rb.gy/ab12c")}},
	{"en: shorturl.at", "", "Form: shorturl.at/aBc12",
		[]want{link("shorturl.at/aBc12", "shorturl.at/aBc12")}},
	{"en: goo.gl", "", "office goo.gl/maps/Xyz12",
		[]want{link("goo.gl/maps/Xyz12", "goo.gl/maps/Xyz12")}},
	{"en: ow.ly", "", "ow.ly/Xy1Z50",
		[]want{link("ow.ly/Xy1Z50", "ow.ly/Xy1Z50")}},
	{"en: wa.me is a phone", "", "Chat: wa.me/447700900123",
		[]want{phone("+447700900123", "wa.me/447700900123")}},
	{"en: api.whatsapp.com is a phone", "", "https://api.whatsapp.com/send?phone=447700900123&text=Hello",
		[]want{phone("+447700900123", "https://api.whatsapp.com/send?phone=447700900123&text=Hello")}},
	{"uk: wa.me with +", "", "Пишіть https://wa.me/+380671234567",
		[]want{phone("+380671234567", "https://wa.me/+380671234567")}},
	{"ru: t.me handle", "", "Канал t.me/rabota_eu",
		[]want{social("telegram", "rabota_eu", "t.me/rabota_eu")}},
	{"en: telegram.me handle", "", "https://telegram.me/Visa_Fast_Bot",
		[]want{social("telegram", "visa_fast_bot", "https://telegram.me/Visa_Fast_Bot")}},
	{"ru: joinchat stays a link", "", "Группа t.me/joinchat/AAAAAEk1",
		[]want{link("t.me/joinchat/AAAAAEk1", "t.me/joinchat/AAAAAEk1")}},
	{"ru: invite link stays a link", "", "t.me/+AbCdEfGh12",
		[]want{link("t.me/+AbCdEfGh12", "t.me/+AbCdEfGh12")}},
	{"en: instagram handle with dots", "", "instagram.com/visa.fast.eu/",
		[]want{social("instagram", "visa.fast.eu", "instagram.com/visa.fast.eu/")}},
	{"en: instagram with igshid", "", "https://www.instagram.com/visa_fast/?igshid=MzRlODBiNWFlZA==",
		[]want{social("instagram", "visa_fast", "")}},
	{"en: instagram post stays a link", "", "instagram.com/p/Cx12AbC/",
		[]want{link("instagram.com/p/Cx12AbC", "instagram.com/p/Cx12AbC/")}},
	{"nl: m.facebook.com page", "", "https://m.facebook.com/EuroDrive.Jobs/",
		[]want{social("facebook", "eurodrive.jobs", "")}},
	{"ro: fb.com page", "", "Pagina noastră fb.com/agrostar.farm",
		[]want{social("facebook", "agrostar.farm", "fb.com/agrostar.farm")}},
	{"en: facebook numeric profile", "", "https://www.facebook.com/profile.php?id=100089123456789",
		[]want{social("facebook", "id:100089123456789", "")}},
	{"pl: facebook group stays a link", "", "Grupa facebook.com/groups/praca.niemcy/",
		[]want{link("facebook.com/groups/praca.niemcy", "facebook.com/groups/praca.niemcy/")}},
	{"en: facebook people page", "", "facebook.com/people/Anna-Visa/100012345678901/",
		[]want{social("facebook", "id:100012345678901", "")}},
	{"en: tiktok", "", "tiktok.com/@easy.visa",
		[]want{social("tiktok", "easy.visa", "tiktok.com/@easy.visa")}},
	{"en: x.com", "", "https://x.com/VisaFastEU",
		[]want{social("x", "visafasteu", "")}},
	{"en: twitter.com is x", "", "twitter.com/VisaFastEU?ref_src=twsrc",
		[]want{social("x", "visafasteu", "twitter.com/VisaFastEU?ref_src=twsrc")}},
	{"ru: vk", "", "Группа vk.com/rabota_polsha",
		[]want{social("vk", "rabota_polsha", "vk.com/rabota_polsha")}},
	{"en: linkedin", "", "https://www.linkedin.com/in/anna-recruiter-123/",
		[]want{social("linkedin", "anna-recruiter-123", "")}},
	{"uk: viber link is a phone", "", "viber://chat?number=%2B380671234567",
		[]want{phone("+380671234567", "viber://chat?number=%2B380671234567")}},
	{"ru: Cyrillic host and path", "", "Вакансии: https://работа-европа.рф/вакансии",
		[]want{link("xn----7sbabciu3eekchv.xn--p1ai/%D0%B2%D0%B0%D0%BA%D0%B0%D0%BD%D1%81%D0%B8%D0%B8", "https://работа-европа.рф/вакансии")}},
	{"ar: link after Arabic text", "", "للتقديم: https://jobs-dubai.example/form",
		[]want{link("jobs-dubai.example/form", "https://jobs-dubai.example/form")}},
	{"en: m.me is Messenger", "", "message us m.me/visafast",
		[]want{social("facebook", "visafast", "m.me/visafast")}},
	{"en: trailing dot", "", "Apply at eurodrive.example/apply.",
		[]want{link("eurodrive.example/apply", "eurodrive.example/apply")}},
	{"en: in parentheses", "", "(see https://eurodrive.example/jobs)",
		[]want{link("eurodrive.example/jobs", "https://eurodrive.example/jobs")}},
	{"en: upper-case scheme and host", "", "HTTPS://EURODRIVE.EXAMPLE/Jobs",
		[]want{link("eurodrive.example/Jobs", "HTTPS://EURODRIVE.EXAMPLE/Jobs")}},
	{"ru: t.me/s/ preview", "", "t.me/s/rabota_eu",
		[]want{social("telegram", "rabota_eu", "")}},
	{"ru: tg:// resolve", "", "tg://resolve?domain=rabota_eu",
		[]want{social("telegram", "rabota_eu", "")}},
	{"en: whatsapp:// send", "", "whatsapp://send?phone=+447700900123",
		[]want{phone("+447700900123", "")}},
	{"es: WhatsApp group invite stays a link", "", "Grupo: chat.whatsapp.com/Fg12AbCdEf",
		[]want{link("chat.whatsapp.com/Fg12AbCdEf", "chat.whatsapp.com/Fg12AbCdEf")}},
	{"en: full-width link", "", "ｅｕｒｏｄｒｉｖｅ．ｅｘａｍｐｌｅ／ａｐｐｌｙ",
		[]want{link("eurodrive.example/apply", "ｅｕｒｏｄｒｉｖｅ．ｅｘａｍｐｌｅ／ａｐｐｌｙ")}},
	{"en: link then emoji", "", "👉https://eurodrive.example/apply👈",
		[]want{link("eurodrive.example/apply", "https://eurodrive.example/apply")}},

	// Handles next to a platform's name.
	{"en: Instagram handle", "", "Instagram: @visa_fast",
		[]want{social("instagram", "visa_fast", "@visa_fast")}},
	{"ru: телеграм", "", "напишите в телеграм @rabota_eu",
		[]want{social("telegram", "rabota_eu", "@rabota_eu")}},
	{"ar: تلغرام", "", "تلغرام @jobs_uk",
		[]want{social("telegram", "jobs_uk", "@jobs_uk")}},
	{"fa: اینستاگرام", "", "اینستاگرام: @kar_dar_europa",
		[]want{social("instagram", "kar_dar_europa", "@kar_dar_europa")}},
	{"tr: Instagram hesabı", "", "Instagram hesabımız @is_ilanlari_de",
		[]want{social("instagram", "is_ilanlari_de", "@is_ilanlari_de")}},
	{"pl: Telegramie", "", "pisz na Telegramie @praca_niemcy",
		[]want{social("telegram", "praca_niemcy", "@praca_niemcy")}},
	{"uk: вайбер", "", "Пишіть у вайбер @robota_ua",
		[]want{social("viber", "robota_ua", "@robota_ua")}},
	{"en: TikTok", "", "find us on TikTok @easyvisa.eu.",
		[]want{social("tiktok", "easyvisa.eu", "@easyvisa.eu")}},
	{"ro: Facebook", "", "ne găsiți pe Facebook @munca.germania",
		[]want{social("facebook", "munca.germania", "@munca.germania")}},
	{"nl: Instagram", "", "volg ons op Instagram @werk_in_nl",
		[]want{social("instagram", "werk_in_nl", "@werk_in_nl")}},
	{"en: platform after the handle", "", "DM @visa_fast on Instagram",
		[]want{social("instagram", "visa_fast", "@visa_fast")}},
	{"es: Telegram", "", "escríbenos por Telegram @empleo_es",
		[]want{social("telegram", "empleo_es", "@empleo_es")}},
	{"ru: full-width @", "", "Телеграм：＠rabota_eu",
		[]want{social("telegram", "rabota_eu", "＠rabota_eu")}},
	{"ar: بالتلغرام with a prefix", "", "تواصل بالتلغرام @visa_dubai",
		[]want{social("telegram", "visa_dubai", "@visa_dubai")}},
	{"en: IG short name", "", "IG: @farmjobs.uk",
		[]want{social("instagram", "farmjobs.uk", "@farmjobs.uk")}},

	// Bank accounts.
	{"de: IBAN with spaces", "", "IBAN: DE89 3704 0044 0532 0130 00",
		[]want{iban("DE89370400440532013000", "DE89 3704 0044 0532 0130 00")}},
	{"en: IBAN without spaces", "", "Pay the fee to GB82WEST12345698765432.",
		[]want{iban("GB82WEST12345698765432", "GB82WEST12345698765432")}},
	{"nl: lower-case IBAN", "", "rekening nl91 abna 0417 1643 00",
		[]want{iban("NL91ABNA0417164300", "nl91 abna 0417 1643 00")}},
	{"pl: Polish IBAN", "PL", "Wpłata na konto PL61 1090 1014 0000 0712 1981 2874 do piątku",
		[]want{iban("PL61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874")}},
	{"ro: placement fee", "RO", "Plata avansului în contul RO49 AAAA 1B31 0075 9384 0000",
		[]want{iban("RO49AAAA1B31007593840000", "RO49 AAAA 1B31 0075 9384 0000")}},
	{"uk: Ukrainian IBAN", "UA", "оплата на рахунок UA21 3223 1300 0002 6007 2335 6600 1",
		[]want{iban("UA213223130000026007233566001", "UA21 3223 1300 0002 6007 2335 6600 1")}},
	{"tr: Turkish IBAN", "TR", "Vize ücreti TR33 0006 1005 1978 6457 8413 26 hesabına",
		[]want{iban("TR330006100519786457841326", "TR33 0006 1005 1978 6457 8413 26")}},
	{"ro/MD: Moldovan IBAN", "MD", "cont MD24 AG00 0225 1000 1310 4168",
		[]want{iban("MD24AG000225100013104168", "MD24 AG00 0225 1000 1310 4168")}},
	{"fr: French IBAN with letters", "FR", "Virement FR14 2004 1010 0505 0001 3M02 606",
		[]want{iban("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606")}},
	{"es: Spanish IBAN after a phone", "ES", "Tel 612 345 678 – cuenta ES91 2100 0418 4502 0005 1332",
		[]want{phone("+34612345678", "612 345 678"), iban("ES9121000418450200051332", "ES91 2100 0418 4502 0005 1332")}},

	// Companies.
	{"en: legal form with dots", "", "EuroDrive Logistics B.V. is hiring drivers",
		[]want{company("eurodrive logistics bv", "EuroDrive Logistics B.V.")}},
	{"pl: upper case", "", "AGRO STAR zaprasza do pracy",
		[]want{company("agro star", "AGRO STAR")}},
	{"tr: without the Turkish letters", "", "Ozel Insaat Ltd. işçi arıyor",
		[]want{company("ozel insaat ltd", "Ozel Insaat Ltd.")}},
	{"ru: in guillemets", "", "агентство «Гарант» поможет с визой",
		[]want{company("агентство гарант", "агентство «Гарант»")}},
	{"ar: Arabic name", "", "تعلن وكالة النجاح عن وظائف في دبي",
		[]want{company("وکاله النجاح", "وكالة النجاح")}},
	{"tr: upper case without cedilla", "", "CELIK YAPI şantiye",
		[]want{company("celik yapi", "CELIK YAPI")}},
	{"pl: without the accent", "", "krakow logistics szuka magazynierów",
		[]want{company("krakow logistics", "krakow logistics")}},
	{"pl: hyphen and legal form", "", "TRANS-POLSKA sp. z o.o. zatrudni",
		[]want{company("trans polska sp z oo", "TRANS-POLSKA sp. z o.o.")}},
	{"fa: Persian name with Arabic letters", "", "با آژانس كار پارس تماس بگيريد",
		[]want{company("اژانس کار پارس", "آژانس كار پارس")}},
	{"nl: ampersand", "", "Bouw en Zonen? Nee: Bouw & Zonen zoekt timmerlieden",
		[]want{company("bouw zonen", "Bouw & Zonen")}},
	{"ro: diacritics", "", "Ferma Nordica angajează",
		[]want{company("ferma nordica", "Ferma Nordica")}},

	{"zh: Han name inside a run of Han", "", "我联系了金桥劳务公司，他们要了钱。",
		[]want{company("金桥劳务", "金桥劳务")}},
	{"zh: Han name after Latin", "", "WeChat金桥劳务",
		[]want{company("金桥劳务", "金桥劳务")}},
	{"ja: katakana and kanji", "", "東京のビザ代行サービスに注意",
		[]want{company("ビザ代行", "ビザ代行")}},
	{"ti: Ge'ez name with word spaces", "", "ምስ ሓበሻ፡ስራሕ፡ኤጀንሲ ተራኺበ።",
		[]want{company("ሓበሻ ስራሕ ኤጀንሲ", "ሓበሻ፡ስራሕ፡ኤጀንሲ")}},
	{"ti: Ge'ez name with spaces and a full stop", "", "ሓበሻ ስራሕ ኤጀንሲ።",
		[]want{company("ሓበሻ ስራሕ ኤጀንሲ", "ሓበሻ ስራሕ ኤጀንሲ")}},
	{"ur: Urdu name with Arabic letters", "", "ملازمت ايجنسي سے بچیں",
		[]want{company("ملازمت ایجنسی", "ملازمت ايجنسي")}},

	// Phones in the scripts of the newer interface languages.
	{"ur/PK: Extended Arabic-Indic digits", "PK", "نوکری کے لیے رابطہ کریں ۰۳۰۰ ۱۲۳۴۵۶۷",
		[]want{phone("+923001234567", "۰۳۰۰ ۱۲۳۴۵۶۷")}},
	{"ur: international, Extended Arabic-Indic digits", "", "واٹس ایپ +۹۲ ۳۰۰ ۱۲۳۴۵۶۷ پر",
		[]want{phone("+923001234567", "+۹۲ ۳۰۰ ۱۲۳۴۵۶۷")}},
	{"ps/AF: Extended Arabic-Indic digits", "AF", "د کار لپاره اړیکه: ۰۷۰۱۲۳۴۵۶۷",
		[]want{phone("+93701234567", "۰۷۰۱۲۳۴۵۶۷")}},
	{"ar/SA: Arabic-Indic digits, national", "SA", "للتواصل ٠٥٠١٢٣٤٥٦٧",
		[]want{phone("+966501234567", "٠٥٠١٢٣٤٥٦٧")}},
	{"zh/CN: full-width digits", "CN", "电话：１３８ ００１３ ８０００，请尽快联系",
		[]want{phone("+8613800138000", "１３８ ００１３ ８０００")}},
	{"zh: full-width plus", "", "微信＋８６ １３８００１３８０００联系",
		[]want{phone("+8613800138000", "＋８６ １３８００１３８０００")}},
	{"zh/CN: digits between Han", "CN", "手机13800138000微信同号",
		[]want{phone("+8613800138000", "13800138000")}},
	{"ti: Ethiopic word space and full stop", "", "ስልኪ፡+291 7 123456።",
		[]want{phone("+2917123456", "+291 7 123456")}},
	{"am/ET: national after Ethiopic", "ET", "ስልክ፡0911234567።ይደውሉ",
		[]want{phone("+251911234567", "0911234567")}},

	// Whole offers.
	{"en/NL: driver ad", "NL", "URGENT!!! 🚚 Drivers C+E for Netherlands, 2800-3200 EUR/month, free accommodation.\nContact EuroDrive Logistics B.V.: +31 6 1234 5678 (WhatsApp/Viber), jobs@eurodrive.example, https://eurodrive.example/apply",
		[]want{company("eurodrive logistics bv", "EuroDrive Logistics B.V."), phone("+31612345678", "+31 6 1234 5678"),
			email("jobs@eurodrive.example", "jobs@eurodrive.example"), link("eurodrive.example/apply", "https://eurodrive.example/apply")}},
	{"ro/DE: construction", "RO", "Angajăm muncitori în construcții în Germania! Salariu 2500 € net. Sună acum: 0721 234 567 sau WhatsApp +49 151 23456789. Taxa de plasare 300 euro la IBAN RO49 AAAA 1B31 0075 9384 0000.",
		[]want{phone("+40721234567", "0721 234 567"), phone("+4915123456789", "+49 151 23456789"), iban("RO49AAAA1B31007593840000", "RO49 AAAA 1B31 0075 9384 0000")}},
	{"uk/PL: warehouse", "UA", "Робота на складі в Польщі 🇵🇱 Зарплата від 25 zł/год. Дзвоніть: +48 512 345 678, Viber +380 67 123 4567. Телеграм @praca_pl_ua",
		[]want{phone("+48512345678", "+48 512 345 678"), phone("+380671234567", "+380 67 123 4567"), social("telegram", "praca_pl_ua", "@praca_pl_ua")}},
	{"ru: visa agency", "RU", "Визы в Европу без отказов! Гарантия 100%. Звоните 8 (912) 345-67-89, пишите на visa.center собака mail точка ru или в телеграм @visa_center_ru",
		[]want{phone("+79123456789", "8 (912) 345-67-89"), email("visa.center@mail.ru", "visa.center собака mail точка ru"), social("telegram", "visa_center_ru", "@visa_center_ru")}},
	{"ar/AE: cleaning", "", "مطلوب عمال نظافة في دبي. الراتب ٣٠٠٠ درهم. للتواصل واتساب ٠٠٩٧١٥٠١٢٣٤٥٦٧ أو البريد visa.dubai@outlook.com",
		[]want{phone("+971501234567", "٠٠٩٧١٥٠١٢٣٤٥٦٧"), email("visa.dubai@outlook.com", "visa.dubai@outlook.com")}},
	{"fa/IR: work visa for Turkey", "IR", "کار در ترکیه با ویزای کاری. تماس: ۰۹۱۲ ۳۴۵ ۶۷۸۹ اینستاگرام: @kar_dar_turkiye",
		[]want{phone("+989123456789", "۰۹۱۲ ۳۴۵ ۶۷۸۹"), social("instagram", "kar_dar_turkiye", "@kar_dar_turkiye")}},
	{"pl/NL: harvest", "PL", "Praca w Holandii przy zbiorach, zakwaterowanie gratis. Dzwoń 512-345-678 lub pisz na praca.holandia@wp.pl. Więcej: www.praca-holandia.example",
		[]want{phone("+48512345678", "512-345-678"), email("praca.holandia@wp.pl", "praca.holandia@wp.pl"), link("praca-holandia.example", "www.praca-holandia.example")}},
	{"tr/DE: construction", "TR", "Almanya'da inşaat işi! Vize bizden. WhatsApp: +90 532 123 45 67, Instagram: @almanya_is_ilanlari, web: https://almanya-is.example/basvuru?ref=ig",
		[]want{phone("+905321234567", "+90 532 123 45 67"), social("instagram", "almanya_is_ilanlari", "@almanya_is_ilanlari"), link("almanya-is.example/basvuru", "https://almanya-is.example/basvuru?ref=ig")}},
	{"fr/BE: care", "BE", "Offre d'emploi aide-soignante en Belgique, logement fourni. Appelez le +32 470 12 34 56 ou écrivez à recrutement(at)soins-belgique(dot)example",
		[]want{phone("+32470123456", "+32 470 12 34 56"), email("recrutement@soins-belgique.example", "recrutement(at)soins-belgique(dot)example")}},
	{"nl/NL: cleaning", "NL", "Schoonmakers gezocht! €14/uur. Bel 06-12345678 of mail naar werk [at] schoonmaak-nl [dot] example",
		[]want{phone("+31612345678", "06-12345678"), email("werk@schoonmaak-nl.example", "werk [at] schoonmaak-nl [dot] example")}},
	{"es/ES: field work without papers", "ES", "Trabajo en el campo en Huelva, sin papeles, pago en efectivo. WhatsApp 612 345 678, Facebook: facebook.com/trabajo.huelva",
		[]want{phone("+34612345678", "612 345 678"), social("facebook", "trabajo.huelva", "facebook.com/trabajo.huelva")}},
	{"en/FR: smuggling", "", "Passage to UK guaranteed, price 3500 GBP. Telegram @uk_route_fast, call +33 6 39 98 55 44",
		[]want{social("telegram", "uk_route_fast", "@uk_route_fast"), phone("+33639985544", "+33 6 39 98 55 44")}},
	{"en: document seller", "", "Passports, ID cards, driving licences, IELTS certificates. Contact docs.fast at protonmail dot com or wa.me/447700900999",
		[]want{email("docs.fast@protonmail.com", "docs.fast at protonmail dot com"), phone("+447700900999", "wa.me/447700900999")}},
	{"en/NG: care visa sponsorship", "NG", "UK Care Assistant Visa Sponsorship!!! Certificate of Sponsorship £2,500. Call or WhatsApp 0803 123 4567 or +44 7700 900555. Email: ukcare.jobs@gmail.com",
		[]want{phone("+2348031234567", "0803 123 4567"), phone("+447700900555", "+44 7700 900555"), email("ukcare.jobs@gmail.com", "ukcare.jobs@gmail.com")}},
	{"en/PH: hotel housekeeping", "PH", "Hiring for Dubai hotel housekeeping, placement fee 50,000 pesos. Text 0917 123 4567, FB page fb.com/dubaihotel.jobs.ph",
		[]want{phone("+639171234567", "0917 123 4567"), social("facebook", "dubaihotel.jobs.ph", "fb.com/dubaihotel.jobs.ph")}},
	{"en/IN: work permit", "IN", "Europe work permit in 30 days, processing fee ₹1,50,000. Call 98765 43210 / +91 91234 56789",
		[]want{phone("+919876543210", "98765 43210"), phone("+919123456789", "+91 91234 56789")}},
	{"fa/AF: work visa", "AF", "ویزه کاری ترکیه، تماس \u200e+93 70 123 4567 یا واتساپ ۰۷۹۹ ۱۲۳ ۴۵۶",
		[]want{phone("+93701234567", "+93 70 123 4567"), phone("+93799123456", "۰۷۹۹ ۱۲۳ ۴۵۶")}},
	{"ro/MD: furniture factory", "MD", "Lucru în Cehia, fabrica de mobilă. Transport inclus. Tel: 069 123 456, Viber: +373 79 123 456",
		[]want{phone("+37369123456", "069 123 456"), phone("+37379123456", "+373 79 123 456")}},
	{"it/IT: fields in Puglia", "IT", "Lavoro nei campi in Puglia, vitto e alloggio. Chiamare 347 123 4567 o scrivere a lavoro.puglia@libero.it",
		[]want{phone("+393471234567", "347 123 4567"), email("lavoro.puglia@libero.it", "lavoro.puglia@libero.it")}},
	{"de/DE: truck driver", "DE", "LKW-Fahrer (m/w/d) gesucht, 3.200 € brutto. Bewerbung an bewerbung@eurodrive.example oder 0151 2345 6789",
		[]want{email("bewerbung@eurodrive.example", "bewerbung@eurodrive.example"), phone("+4915123456789", "0151 2345 6789")}},
	{"es/ES: date before the phone", "ES", "Incorporación el 01.04.2026. Llamar al 612 345 678.",
		[]want{phone("+34612345678", "612 345 678")}},
	{"uk: number, handle and link, repeated", "UA", "067 123 4567 — телеграм @robota_pl; t.me/robota_pl; +380671234567",
		[]want{phone("+380671234567", "067 123 4567"), social("telegram", "robota_pl", "@robota_pl")}},
	{"en: several kinds on several lines", "GB", "Nord Care Ltd\nTel 07700 900777\nMail care@nordcare.example\nIBAN GB33 BUKB 2020 1555 5555 55\nInstagram @nordcare_uk",
		[]want{company("nord care", "Nord Care"), phone("+447700900777", "07700 900777"), email("care@nordcare.example", "care@nordcare.example"),
			iban("GB33BUKB20201555555555", "GB33 BUKB 2020 1555 5555 55"), social("instagram", "nordcare_uk", "@nordcare_uk")}},
	{"ru/LT: emoji between indicators", "", "🔥Работа в Литве🔥\n📞+370 612 34567\n✉️rabota.lt@gmail.com\n💬 Telegram @rabota_lt",
		[]want{phone("+37061234567", "+370 612 34567"), email("rabota.lt@gmail.com", "rabota.lt@gmail.com"), social("telegram", "rabota_lt", "@rabota_lt")}},
	{"en: visa agency with company and short link", "", "Sky Visa Consulting: Schengen visa in 5 days, 100% guaranteed. Book via bit.ly/SkyVisa2026 or +44 20 7946 0321",
		[]want{company("sky visa consulting", "Sky Visa Consulting"), link("bit.ly/SkyVisa2026", "bit.ly/SkyVisa2026"), phone("+442079460321", "+44 20 7946 0321")}},
	{"es: global work, no region", "", "Global Work Europe busca recolectores. Llama al 612 345 678 o al +34 612 345 679",
		[]want{company("global work europe", "Global Work Europe"), phone("+34612345679", "+34 612 345 679")}},
	{"tr: company, phone, IBAN", "TR", "Özel İnşaat Ltd. Almanya için usta arıyor. Tel: 0532 123 45 67. Kapora: TR33 0006 1005 1978 6457 8413 26",
		[]want{company("ozel insaat ltd", "Özel İnşaat Ltd."), phone("+905321234567", "0532 123 45 67"), iban("TR330006100519786457841326", "TR33 0006 1005 1978 6457 8413 26")}},
	{"uk: Cyrillic company and phone", "UA", "Агентство Гарант: робота в Чехії. Телефон 067 123 4567",
		[]want{company("агентство гарант", "Агентство Гарант"), phone("+380671234567", "067 123 4567")}},
	{"ar/MA: strawberry season", "MA", "موسم الفراولة في إسبانيا 🍓 وكالة النجاح. اتصل ٠٦١٢٣٤٥٦٧٨ أو فيسبوك facebook.com/wakalat.najah",
		[]want{company("وکاله النجاح", "وكالة النجاح"), phone("+212612345678", "٠٦١٢٣٤٥٦٧٨"), social("facebook", "wakalat.najah", "facebook.com/wakalat.najah")}},
	{"pl: CleanPro", "PL", "CleanPro Services – sprzątanie biur w Berlinie. Zgłoszenia: +49 30 1234 5678 lub cleanpro.berlin@gmail.com",
		[]want{company("cleanpro services", "CleanPro Services"), phone("+493012345678", "+49 30 1234 5678"), email("cleanpro.berlin@gmail.com", "cleanpro.berlin@gmail.com")}},
	{"ru/UA: Visa Fast everywhere", "", "Visa Fast — визы за 3 дня. Instagram: @visa_fast, сайт visa-fast.example, почта info@visa-fast.example",
		[]want{company("visa fast", "Visa Fast"), social("instagram", "visa_fast", "@visa_fast"), link("visa-fast.example", "visa-fast.example"), email("info@visa-fast.example", "info@visa-fast.example")}},
}

// falsePositiveCases hold numbers that are not phone numbers, strings that
// look like indicators and are not, and the indicators next to them.
var falsePositiveCases = []extractCase{
	{"price with euro sign", "DE", "Salary €1 200 000 per year", nil},
	{"price in złoty", "PL", "Pensja 1.200,00 zł miesięcznie", nil},
	{"price in dollars per month", "US", "$3,500/month plus overtime", nil},
	{"date with dots", "DE", "Start date 12.03.2026", nil},
	{"ISO date", "DE", "Start: 2026-03-12", nil},
	{"short date", "GB", "Deadline 12/03/26", nil},
	{"times", "DE", "Shift 08:00-17:00, Mon-Fri", nil},
	{"times with dots", "DE", "Schicht 8.00-17.00 Uhr", nil},
	{"French postcode", "FR", "Paris 75011, métro Voltaire", nil},
	{"UK postcode", "GB", "London SW1A 1AA", nil},
	{"German postcode", "DE", "10115 Berlin", nil},
	{"order number", "DE", "Order #4711-2290 shipped", nil},
	{"reference", "DE", "ref 2023/118", nil},
	{"range of hours", "DE", "8-12 hours a day", nil},
	{"range of years", "DE", "Experience 2019-2026", nil},
	{"salary range without currency", "DE", "Salary 2500-3000 per month", nil},
	{"IBAN with a bad checksum", "DE", "IBAN DE89 3704 0044 0532 0130 01", nil},
	{"British IBAN with a bad checksum", "GB", "GB82 WEST 1234 5698 7654 33", nil},
	{"Polish IBAN with a bad checksum", "PL", "konto PL61 1090 1014 0000 0712 1981 2875", nil},
	{"bare @mention", "", "Follow @visa_fast for news", nil},
	{"bare @mentions", "", "Thanks @anna and @mark!", nil},
	{"plate numbers", "PL", "Plate: WX 12345, truck DW 4R567", nil},
	{"price in roubles", "RU", "Виза 1 500 000 руб. под ключ", nil},
	{"range in hryvnias", "UA", "Зарплата 25 000 - 30 000 грн", nil},
	{"price in riyals", "SA", "الراتب ١٢٠٠٠٠٠ ريال", nil},
	{"price in tomans", "IR", "قیمت ۱۵۰۰۰۰۰۰ تومان", nil},
	{"price in lei", "RO", "Avans 1 200 000 lei", nil},
	{"price with EUR after", "DE", "Gewinn 1 000 000 EUR", nil},
	{"price with USD before", "US", "Fee USD 2500000", nil},
	{"file names", "", "version 2.5.1, file CV.pdf, photo.zip", nil},
	{"abbreviations", "", "e.g. i.e. etc. a.m. p.m.", nil},
	{"time and room", "DE", "Time 10:30, room 12.5, 1.5 km", nil},
	{"invoice number", "DE", "Invoice 2026/000123", nil},
	{"ID number", "DE", "ID 1234567890", nil},
	{"sentence without space", "", "Mr.Smith said Hello.World", nil},
	{"ISBN", "DE", "ISBN 978-3-16-148410-0", nil},
	{"date range", "DE", "Saison 01.03.2026-30.06.2026", nil},
	{"parcel tracking code", "GB", "Tracking 1Z999AA10123456784", nil},
	{"price in naira", "NG", "Fees: 1,200,000 naira", nil},
	{"Polish account number without country code", "PL", "Konto: 12 1020 1026 0000 0402 0123 4567", nil},
	{"national number without a region", "", "Call 07700 900123", nil},
	{"number invalid in the region", "GB", "Call 0999 123 4567", nil},
	{"company inside a longer name", "", "Agro Starlight Farms", nil},
	{"zh: another Han name that starts the same", "", "金桥劳动服务中心", nil},
	{"zh: a Han name of two characters is not looked for", "", "金桥大桥", nil},
	{"ti: Ge'ez name inside a longer word", "", "ሓበሻ ስራሕ ኤጀንሲታት", nil},
	{"percent", "DE", "Rabatt 1234567%", nil},
	{"price in pounds with pence", "GB", "£1,234,567.00 bonus", nil},
	{"bare platform domain", "", "write to us on facebook.com or instagram.com", nil},
	{"e-mail-like without a known top-level domain", "", "user@localhost and a@b.notatld", nil},
	{"handle too short for Telegram", "", "Telegram @ab", nil},
	{"price then phone", "PL", "Koszt 1500 zł, tel. 512 345 678",
		[]want{phone("+48512345678", "512 345 678")}},
	{"date then phone", "DE", "Ab 01.04.2026, Tel. 0151 2345 6789",
		[]want{phone("+4915123456789", "0151 2345 6789")}},
	{"order number then e-mail", "DE", "Order #4711-2290, Fragen an service@shop.example",
		[]want{email("service@shop.example", "service@shop.example")}},
	{"bad IBAN then good IBAN", "", "DE89 3704 0044 0532 0130 01 oder DE89 3704 0044 0532 0130 00",
		[]want{iban("DE89370400440532013000", "DE89 3704 0044 0532 0130 00")}},
	{"bare mention then real handle", "", "Thanks @anna! Instagram: @visa_fast",
		[]want{social("instagram", "visa_fast", "@visa_fast")}},
	{"hours then phone", "GB", "Work 8-12 hours, call 07700 900888",
		[]want{phone("+447700900888", "07700 900888")}},
}

func TestExtract(t *testing.T) {
	runCases(t, offerCases)
}

func TestExtractFalsePositives(t *testing.T) {
	runCases(t, falsePositiveCases)
}

func runCases(t *testing.T, cases []extractCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := extract.Extract(c.text, extract.Options{Region: c.region, Companies: testCompanies})
			checkFound(t, c.text, got)
			if len(got) != len(c.want) {
				t.Fatalf("Extract(%q) = %s, want %d indicators", c.text, describe(got), len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Kind != w.kind || g.Platform != w.platform || g.Normalized != w.normalized {
					t.Errorf("#%d = %s %q %q, want %s %q %q", i, g.Kind, g.Platform, g.Normalized, w.kind, w.platform, w.normalized)
				}
				if w.raw == "" {
					continue
				}
				if g.Raw != w.raw {
					t.Errorf("#%d Raw = %q, want %q", i, g.Raw, w.raw)
				}
				if start := strings.Index(c.text, w.raw); g.Start != start || g.End != start+len(w.raw) {
					t.Errorf("#%d at [%d:%d], want [%d:%d]", i, g.Start, g.End, start, start+len(w.raw))
				}
			}
		})
	}
}

// checkFound checks what holds of every extraction: offsets in bounds, on
// rune boundaries and in order, Raw the text between them.
func checkFound(t *testing.T, text string, got []extract.Found) {
	t.Helper()
	last := -1
	for i, f := range got {
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			t.Fatalf("#%d: offsets [%d:%d] out of range of %d bytes", i, f.Start, f.End, len(text))
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[f.Start]) || f.End < len(text) && !utf8.RuneStart(text[f.End])) {
			t.Errorf("#%d: offsets [%d:%d] not on rune boundaries", i, f.Start, f.End)
		}
		if f.Start < last {
			t.Errorf("#%d: starts at %d, before the one before it (%d)", i, f.Start, last)
		}
		last = f.Start
		if f.Raw != text[f.Start:f.End] {
			t.Errorf("#%d: Raw %q is not text[%d:%d] = %q", i, f.Raw, f.Start, f.End, text[f.Start:f.End])
		}
	}
}

func describe(fs []extract.Found) string {
	var b strings.Builder
	b.WriteString("[")
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %q %q (%q)", f.Kind, f.Platform, f.Normalized, f.Raw)
	}
	b.WriteString("]")
	return b.String()
}
