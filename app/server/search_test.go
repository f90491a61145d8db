package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// searchCorpus is a set of warnings, reports and replies in the eight
// languages, named by keys (w: warning, r: report, p: reply).
type searchCorpus struct {
	e    *apptest.Env
	ids  map[string]int64
	keys map[string]string // "kind:id" → key
	mod  model.User
}

type corpusText struct{ lang, title, summary, what, body string }

func (c *searchCorpus) warning(t *testing.T, key, org string, ago time.Duration, route []string, status model.WarningStatus, inds []service.RawIndicator, texts ...corpusText) {
	t.Helper()
	w := service.ImportedWarning{
		Key: "search-" + key, Category: "fake-job-offer", Severity: model.SeverityDanger, Status: status,
		Organisation: model.Organisation{Slug: "org-" + strings.ToLower(strings.ReplaceAll(org, " ", "-")), Name: org, Verified: true},
		Lang:         texts[0].lang, PublishedAt: apptest.Now.Add(-ago), Indicators: inds,
	}
	if status == model.WarningRetracted {
		r := apptest.Now.Add(-time.Hour)
		w.RetractedAt, w.RetractionReason = &r, "Not a trap after all"
	}
	for i, code := range route {
		role := model.CountryOrigin
		if i > 0 {
			role = model.CountryDestination
		}
		w.Countries = append(w.Countries, service.ImportedCountry{Code: code, Role: role})
	}
	for _, x := range texts {
		w.Texts = append(w.Texts, service.ImportedText{Lang: x.lang, Title: x.title, Summary: x.summary, WhatToDo: x.what, Body: x.body})
	}
	if _, err := c.e.Services.Importer.ImportWarnings(context.Background(), []service.ImportedWarning{w}); err != nil {
		t.Fatalf("warning %s: %v", key, err)
	}
	ids, err := c.e.Store.WarningIDsBySeedKey(context.Background(), []string{w.Key})
	if err != nil {
		t.Fatal(err)
	}
	c.ids[key] = ids[w.Key]
	c.keys[fmt.Sprintf("warning:%d", ids[w.Key])] = key
}

func (c *searchCorpus) report(t *testing.T, key, lang, country, title, body string) int64 {
	t.Helper()
	p, err := c.e.Services.Forum.CreateReport(context.Background(), &c.mod, service.ReportInput{
		Title: title, Body: body, Lang: lang, Category: "fake-job-offer", SeenOn: "facebook",
		Origin: []string{country}, Destination: []string{country},
	})
	if err != nil {
		t.Fatalf("report %s: %v", key, err)
	}
	c.ids[key] = p.ID
	c.keys[fmt.Sprintf("report:%d", p.ID)] = key
	return p.ID
}

func (c *searchCorpus) reply(t *testing.T, key, report, body string) {
	t.Helper()
	p, err := c.e.Services.Forum.CreateReply(context.Background(), &c.mod, c.ids[report], body)
	if err != nil {
		t.Fatalf("reply %s: %v", key, err)
	}
	c.ids[key] = p.ID
	c.keys[fmt.Sprintf("reply:%d", p.ID)] = key
}

var searchLangs = []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa", "zh", "ti", "vi", "ur", "ps", "th"}

func newSearchCorpus(t *testing.T) *searchCorpus {
	t.Helper()
	e := apptest.New(t)
	_, mod := e.Member(t, "searchmod", model.RoleModerator, searchLangs, []string{"UA", "PL", "FR", "ES", "RO", "NL", "TR", "SY", "IR", "MA", "CN", "IT", "ER", "VN", "PK", "AE", "AF", "TH"})
	c := &searchCorpus{e: e, ids: map[string]int64{}, keys: map[string]string{}, mod: mod}
	pub := model.WarningPublished
	c.warning(t, "eurojobs", "Euro Jobs Transport", 48*time.Hour, []string{"UA", "PL"}, pub,
		[]service.RawIndicator{{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}, {Kind: model.IndicatorEmail, Value: "hr@eurojobs-transport.example"}},
		corpusText{"en", "Euro Jobs Transport promises chauffeur work in Poland", "A chauffeur job with a visa, for a fee of 2500 euros.", "Do not pay any fee. Keep your passport.", "Red flags: a fee before the trip; the passport kept by the employer."},
		corpusText{"fr", "Euro Jobs Transport : faux emplois de chauffeur en Pologne", "Un poste de chauffeur avec visa, contre 2500 euros.", "Ne payez rien. Gardez votre passeport.", "Signaux d'alerte : des frais avant le départ ; le passeport confisqué."},
		corpusText{"uk", "Euro Jobs Transport: фальшива робота водієм у Польщі", "Робота водієм з візою за 2500 євро.", "Не платіть. Тримайте паспорт при собі.", "Тривожні ознаки: плата наперед, паспорт забирають."},
		corpusText{"ar", "يورو جوبز: وظيفة سائق وهمية في بولندا", "وظيفة سائق مع تأشيرة مقابل رسوم ٢٥٠٠ يورو.", "لا تدفع أي رسوم. احتفظ بجواز سفرك.", "علامات الخطر: رسوم قبل السفر، وأخذ جواز السفر من قِبل صاحب العمل."},
	)
	c.warning(t, "sofrasi", "Anatolia Help", 10*24*time.Hour, []string{"SY", "TR"}, pub, nil,
		corpusText{"en", "Köşe Sofrası restaurant hires kitchen staff without contracts", "Cooks are promised 800 dollars a month.", "Ask for a written contract.", "The restaurant keeps the passports of its workers."},
	)
	c.warning(t, "agentie", "Salvați Copiii", 20*24*time.Hour, []string{"RO", "ES"}, pub,
		[]service.RawIndicator{{Kind: model.IndicatorEmail, Value: "jobs@agentie-spania.example"}},
		corpusText{"ro", "Agenție de plasare în Spania cere taxă de înscriere", "Locuri de muncă la cules de căpșuni, plătite în avans.", "Nu plătiți nicio taxă.", "Semnale de alarmă: taxă în avans, fără contract în limba română."},
		corpusText{"es", "Agencia de colocación en España cobra una tasa de inscripción", "Empleos en la cosecha de fresas en Huelva, pagados por adelantado.", "No pague ninguna tasa.", "Señales de alarma: pago por adelantado, sin contrato."},
	)
	c.warning(t, "uitzend", "FairWork", 30*24*time.Hour, []string{"PL", "NL"}, pub, nil,
		corpusText{"nl", "Nep-uitzendbureau in Rotterdam vraagt borg voor huisvesting", "Arbeidsmigranten betalen 600 euro borg voor een kamer.", "Betaal geen borg zonder contract.", "Waarschuwingssignalen: borg vooraf, loon onder het minimum."},
	)
	c.warning(t, "arabic", "منظمة الأمل", 5*24*time.Hour, []string{"SY", "MA"}, pub, nil,
		corpusText{"ar", "شركة توظيف مزيفة تطلب أجور السفر مقدماً", "تَعِدُ الشركةُ بعملٍ في المغرب مقابل مبلغ ٣٠٠ دولار.", "لا تسلّم جواز سفرك لأحد.", "مكتب الإستقدام يطلب المال قبل التأشيرة ويختفي."},
	)
	c.warning(t, "persian", "کمک پناهجو", 6*24*time.Hour, []string{"IR", "TR"}, pub, nil,
		corpusText{"fa", "آگهی کار جعلی در ترکیه برای کارگران ساختمانی", "کارفرما ۱۵۰۰ لیر پیش\u200cپرداخت می\u200cخواهد.", "پول پیش ندهید.", "نشانه\u200cهای خطر: گرفتن گذرنامه و پرداخت پیش از سفر."},
	)
	c.warning(t, "eurojobs1", "Watchdog", 60*24*time.Hour, []string{"UA", "PL"}, pub, nil,
		corpusText{"en", "Eurojobs agency asks for a passport deposit", "An agency called Eurojobs keeps the passports of drivers.", "Never hand over your passport.", "Drivers from Ukraine reported this agency."},
	)
	c.warning(t, "draft", "Draft Org", 24*time.Hour, []string{"UA", "PL"}, pub, nil,
		corpusText{"en", "Zanzibarquux draft warning about saffron pickers", "Not yet public at all.", "Wait for the moderators.", "Nothing to see here yet."})
	// Imports are published or retracted: an operator's SQL makes a draft.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'draft' WHERE id = ?", c.ids["draft"]))
	c.warning(t, "retracted", "Retract Org", 24*time.Hour, []string{"UA", "PL"}, model.WarningRetracted, nil,
		corpusText{"en", "Blorfington retracted warning about saffron pickers", "Withdrawn by the moderators.", "Nothing to do any more.", "Nothing to see here now."})
	// Scripts without spaces (Han), with their own word space (Ge'ez), with
	// stacked diacritics (Vietnamese), and the Urdu and Pashto letters.
	c.warning(t, "zh", "金桥劳务", 4*24*time.Hour, []string{"CN", "IT"}, pub, nil,
		corpusText{"zh", "金桥劳务：假签证中介骗取出国劳务费", "他们承诺去意大利工作，要求先付２５００元。", "不要先付钱，也不要交出护照。", "电话：＋８６ １３８ ００１３ ８０００。他们扣押了护照。"},
	)
	c.warning(t, "ti", "ሓገዝ ስደተኛታት", 7*24*time.Hour, []string{"ER", "IT"}, pub, nil,
		corpusText{"ti", "ሓሶት ኤጀንሲ ስራሕ፡ቪዛ ናብ ጣልያን ብገንዘብ", "ኣብ ፈይስቡክ ስራሕ ይመባጽዑ፡ቅድሚ ጉዕዞ 500 ዶላር ይሓቱ።", "ገንዘብ ኣይትኸፍሉ፡ፓስፖርት ኣይትሃቡ።", "ፓስፖርት ይወስዱ።"},
	)
	c.warning(t, "ur", "مدد گار", 8*24*time.Hour, []string{"PK", "AE"}, pub, nil,
		corpusText{"ur", "جعلی ایجنسی دبئی میں نوکری کے لیے پیسے مانگتی ہے", "ویزا کے لیے ۵۰۰۰۰ روپے پیشگی", "پیسے نہ دیں۔", "پاسپورٹ اپنے پاس رکھیں۔"},
	)
	c.report(t, "vi", "vi", "VN", "Công ty xuất khẩu lao động Đài Loan lừa đảo", "Họ thu 5000 đô la phí và giữ hộ chiếu của tôi.")
	c.report(t, "ps", "ps", "AF", "جعلي شرکت په ترکیه کې د ښه ګټې وعده کوي", "۳۰۰ ډالره یې واخیستل او پاسپورټ یې ونه ورکړ.")
	c.report(t, "th", "th", "TH", "บริษัทจัดหางานปลอมเก็บค่าหัวคิว", "พวกเขาเก็บเงินสามหมื่นบาทแล้วหายไป ไม่มีงานที่ไต้หวัน")
	c.report(t, "ar-wak", "ar", "MA", "وكالة سفر وهمية في الدار البيضاء", "دفعت للوكالة ٤٠٠ دولار بالتحويل.")
	c.report(t, "insta", "en", "UA", "A visa agency on Instagram took my money", "They asked 400 euros through Instagram messages, then blocked me. Their handle was @fastvisa_agency.")
	c.report(t, "insta-fr", "fr", "FR", "Agence de visas sur Instagram : arnaque", "On m'a demandé 400 euros pour un visa de travail, puis plus de nouvelles.")
	c.report(t, "fresas", "es", "ES", "Me prometieron trabajo en la cosecha de fresas", "La empresa se quedó con mi pasaporte en Huelva.")
	c.report(t, "ro-rep", "ro", "RO", "Am plătit o taxă pentru un loc de muncă în Germania", "Agenția din Iași a dispărut după plată. Ștefan, șoferul, nu mai răspunde.")
	c.report(t, "uk-rep", "uk", "UA", "Обман з роботою на складі в Польщі", "Агенція взяла 300 доларів за працевлаштування і зникла.")
	c.report(t, "ar-rep", "ar", "MA", "عرض عمل في مزرعة فراولة", "طلبوا منّي إرسال صورة جواز السفر عبر واتساب.")
	c.report(t, "fa-rep", "fa", "IR", "کلاهبرداری کاریابی در استانبول", "یک کاریابی در استانبول از من ۲۰۰ دلار گرفت.")
	c.report(t, "nl-rep", "nl", "NL", "Uitzendbureau hield mijn loon in", "Ze hielden elke week 100 euro in voor de huisvesting.")
	c.reply(t, "insta-reply", "insta", "Same agency wrote to me on WhatsApp and asked for a 300 euro deposit.")
	return c
}

// found returns the keys of a search's results, in order.
func (c *searchCorpus) found(t *testing.T, q service.SearchQuery) []string {
	t.Helper()
	page, err := c.e.Services.Search.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Q, err)
	}
	var out []string
	for _, r := range page.Results {
		k, ok := c.keys[fmt.Sprintf("%s:%d", r.Kind, r.ID)]
		if !ok {
			k = fmt.Sprintf("?%s:%d", r.Kind, r.ID)
		}
		out = append(out, k)
	}
	return out
}
