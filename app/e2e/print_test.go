package e2e

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/i18n"
	"forewarn/app/seed"
	"forewarn/locales"
)

// pdfPage matches a page object of a PDF and not the page tree (/Pages).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// printedSheets prints the page open in ctx on paper of the given size in
// inches, without the browser's header and footer, and counts the sheets.
func printedSheets(ctx context.Context, width, height float64) (int, error) {
	printPDF := func(ctx context.Context, tgt *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tgt, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: width, PaperHeight: height})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}
	pdf, err := chromedp.Run(ctx, printPDF)
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return 0, fmt.Errorf("not a PDF: %.20q", pdf)
	}
	return len(pdfPage.FindAll(pdf, -1)), nil
}

// printBox is the sheet a leaflet must fit to fit both A4 (8.27 × 11.69
// in) and US Letter (8.5 × 11 in): the narrower width and the shorter
// height. The print styles have no breakpoint between the two widths (both
// lie between 40rem and 60rem), and a wider column never makes the text
// longer, so one print on it answers for both papers.
var printBox = struct{ width, height float64 }{8.27, 11}

// TestEveryDemoWarningPrintsOnOneSheet prints each demo warning in each
// interface language on a sheet that fits inside both A4 and US Letter, as
// a field worker would print a leaflet, and fails on any that takes a
// second sheet. When the test binary's deadline is near, each warning
// prints in as many languages as the time allows (see languagePlan).
func TestEveryDemoWarningPrintsOnOneSheet(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("prints every demo warning in every language; the layout is the same with -race and on every engine")
	}
	t.Parallel()
	env, base, _ := serve(t)
	if _, err := seed.Demo(context.Background(), env.Services.Importer, apptest.Now); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	apptest.Must(t, env.DB.Gorm.Raw("SELECT id FROM warnings WHERE status IN ('published', 'retracted', 'expired') ORDER BY id").Scan(&ids))
	if len(ids) < 30 {
		t.Fatalf("demo content missing: %d warnings", len(ids))
	}
	catalog, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browserFor(t, 15*time.Minute)
	plan := newLanguagePlan(t, catalog.Languages(), len(catalog.Languages()), len(ids), 0)
	for _, id := range ids {
		for _, lang := range plan.take() {
			url := fmt.Sprintf("%s/%s/warnings/%d", base, lang.Code, id)
			if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("article.warning")); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			n, err := printedSheets(ctx, printBox.width, printBox.height)
			if err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			if n != 1 {
				t.Errorf("%s prints on %d sheets of A4 or US Letter", url, n)
			}
		}
	}
	t.Logf("printed %s", plan)
}
