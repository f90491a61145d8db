package extract

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	cs := NewCompanies([]string{"EuroDrive B.V.", "Agro Star", "Özel İnşaat", "Visa Fast"})
	for _, c := range []struct{ text, region string }{
		{"Call +44 7700 900123 or WhatsApp 07700 900456", "GB"},
		{"Apply: https://Jobs.EuroDrive.example/apply/?utm_source=fb#x and wa.me/447700900123", ""},
		{"Instagram: @visa_fast, напишите в телеграм @rabota_eu, تلغرام @jobs_uk, bare @nobody", ""},
		{"mail: jobs(at)eurodrive(dot)example or jobs [at] eurodrive [dot] com or info at gmail dot com, x @ y . com", ""},
		{"IBAN DE89 3704 0044 0532 0130 00, bad DE89 3704 0044 0532 0130 01", "DE"},
		{"EuroDrive B.V. and agro star and OZEL INSAAT", ""},
		{"€1 200, 1.200,00 zł, $3,500/month, 12.03.2026, 2026-03-12, 75011, Order #4711-2290, ref 2023/118, 8-12 hours, 2024-2026, 2500-3000", "DE"},
		{"اتصل على ٠٠٩٧١٥٠١٢٣٤٥٦٧ أو واتساب +٤٤ ٧٧٠٠ ٩٠٠١٢٣", ""},
		{"тел. +380 (50) 123-45-67, 050 123 45 67", "UA"},
		{"Tel: ０７７００ ９００１２３", "GB"},
		{"+44 (0) 7700 900123", ""},
		{"facebook.com/profile.php?id=10001234, instagram.com/visa_fast/?igshid=abc, t.me/joinchat/AbC, bit.ly/3xYzAB", ""},
		{"viber://chat?number=%2B447700900123", ""},
		{"\u202a+44 7700 900123\u202c and +44\u200e7700\u200e900124", ""},
	} {
		fmt.Printf("%q\n", c.text)
		for _, f := range Extract(c.text, Options{Region: c.region, Companies: cs}) {
			fmt.Printf("   %s %s %q %q [%d:%d]\n", f.Kind, f.Platform, f.Normalized, f.Raw, f.Start, f.End)
		}
	}
}
