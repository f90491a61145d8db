package seed

import (
	"context"
	"fmt"
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
)

// syntheticBatch is how many warnings one transaction imports.
const syntheticBatch = 1000

var (
	syntheticCategories = []string{
		"fake-job-offer", "fake-travel-agency", "fake-documents", "sham-marriage", "smuggling",
		"debt-bondage", "wage-theft", "exploitation-construction", "exploitation-agriculture",
		"exploitation-transport", "exploitation-cleaning", "exploitation-hospitality",
	}
	syntheticCountries = []string{
		"UA", "MD", "RO", "PL", "DE", "NL", "BE", "FR", "ES", "IT", "GB", "PT", "GR", "TR",
		"SY", "AF", "IR", "MA", "NG", "PH", "NP", "IN", "VN", "CO", "VE", "GE", "UZ", "KG",
	}
	syntheticLangs = []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa"}
)

// Synthetic imports n load-test warnings ("Synthetic warning #i"), each in
// three languages with two countries and two indicators drawn from a pool,
// published over the two years before now. Keys make it idempotent.
func Synthetic(ctx context.Context, im *service.Importer, now time.Time, n int) (int, error) {
	created := 0
	org := model.Organisation{Slug: "synthetic", Name: "Synthetic load test (not real)"}
	for start := 0; start < n; start += syntheticBatch {
		end := min(start+syntheticBatch, n)
		batch := make([]service.ImportedWarning, 0, end-start)
		for i := start; i < end; i++ {
			lang := syntheticLangs[i%len(syntheticLangs)]
			texts := []service.ImportedText{}
			for _, l := range []string{lang, syntheticLangs[(i+3)%len(syntheticLangs)], "en"} {
				if len(texts) == 3 || containsLang(texts, l) {
					continue
				}
				texts = append(texts, service.ImportedText{
					Lang:    l,
					Title:   fmt.Sprintf("Synthetic warning #%d (%s)", i, l),
					Summary: "Load-test content: a recruiter asks for a fee before the job starts and keeps the passport.",
					Body:    "Load-test content.\n\n- never pay a fee for a job\n- keep your passport\n- ask for a written contract",
				})
			}
			batch = append(batch, service.ImportedWarning{
				Key:          fmt.Sprintf("synthetic-%d", i),
				Category:     syntheticCategories[i%len(syntheticCategories)],
				Severity:     model.Severities[i%len(model.Severities)],
				Status:       model.WarningPublished,
				Organisation: org,
				Lang:         lang,
				PublishedAt:  now.Add(-time.Duration(i) * 10 * time.Minute),
				Countries: []service.ImportedCountry{
					{Code: syntheticCountries[i%len(syntheticCountries)], Role: model.CountryOrigin},
					{Code: syntheticCountries[(i*7+5)%len(syntheticCountries)], Role: model.CountryDestination},
				},
				Texts: texts,
				Indicators: []service.RawIndicator{
					{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 900%03d", i%1000)},
					{Kind: model.IndicatorLink, Value: fmt.Sprintf("https://jobs-%d.example/apply", i%5000)},
				},
			})
		}
		k, err := im.ImportWarnings(ctx, batch)
		if err != nil {
			return created, fmt.Errorf("synthetic warnings %d–%d: %w", start, end, err)
		}
		created += k
	}
	return created, nil
}

func containsLang(ts []service.ImportedText, lang string) bool {
	for _, t := range ts {
		if t.Lang == lang {
			return true
		}
	}
	return false
}
