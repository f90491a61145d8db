package extract_test

import (
	"testing"

	"forewarn/app/extract"
)

// benchMessage is a forwarded multilingual offer of about 2 KB with eight
// indicators, the size of a long ad pasted into the check.
const benchMessage = `🔥🔥 URGENT / TERMINOVO / ПЕРЕКЛАД НИЖЧЕ 🔥🔥
EuroDrive Logistics B.V. is hiring C+E drivers and warehouse workers for the Netherlands and Germany.
Salary 2800-3200 EUR/month net, free accommodation, start date 01.04.2026, shifts 8-12 hours.
No experience needed, no language needed, we arrange the work permit and the visa in 14 days!
Placement fee only €350, paid before departure to IBAN NL91 ABNA 0417 1643 00.
Call or WhatsApp: +31 6 1234 5678 (English, Română), Viber 07700 900123 (Українська, Русский).
Apply online: https://jobs.eurodrive.example/apply/?utm_source=facebook&utm_medium=post#form
or send your CV to jobs [at] eurodrive [dot] example, Telegram @eurodrive_jobs.

Angajăm șoferi C+E și muncitori în depozit pentru Olanda. Salariu 2800-3200 EUR pe lună,
cazare gratuită, începem pe 01.04.2026. Taxa de plasare doar 350 euro. Sună acum!

Терміново потрібні водії C+E та працівники складу в Нідерланди. Зарплата 2800-3200 EUR,
житло безкоштовне, дозвіл на роботу за 14 днів. Пишіть у телеграм, дзвоніть у вайбер.
Оплата послуг 350 євро до виїзду. Кількість місць обмежена, встигніть до 15.03.2026!

مطلوب سائقين وعمال مستودعات في هولندا. الراتب ٢٨٠٠ يورو شهرياً، السكن مجاني.
للتواصل واتساب ` + "\u200e" + `+٣١ ٦ ١٢٣٤ ٥٦٧٨ أو زوروا bit.ly/EuroDrive2026 للتقديم.

Poszukujemy kierowców C+E i magazynierów do pracy w Holandii, wynagrodzenie 2800-3200 EUR,
zakwaterowanie gratis, pomoc w załatwieniu dokumentów. Opłata rekrutacyjna 350 euro.
Order #4711-2290 • ref 2023/118 • Kraków office: ul. Długa 12/4, 31-147 Kraków.
Hollanda'da tır şoförü ve depo işçisi aranıyor, maaş 2800-3200 EUR, konaklama ücretsiz.
`

func BenchmarkExtract2KB(b *testing.B) {
	opts := extract.Options{Region: "GB", Companies: testCompanies}
	if n := len(extract.Extract(benchMessage, opts)); n < 5 || n > 10 {
		b.Fatalf("the message has %d indicators, want 5 to 10", n)
	}
	b.SetBytes(int64(len(benchMessage)))
	b.ReportAllocs()
	for b.Loop() {
		extract.Extract(benchMessage, opts)
	}
}
