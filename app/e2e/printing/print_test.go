package printing_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/e2e"
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

// TestEveryDemoWarningPrintsOnOneSheet prints each demo warning in each
// interface language on A4 and on US Letter, as a field worker would print
// a leaflet, and fails on any that takes a second sheet.
func TestEveryDemoWarningPrintsOnOneSheet(t *testing.T) {
	if testing.Short() || e2e.RaceDetector {
		t.Skip("prints thousands of leaflets; the layout is the same with -race and on every engine")
	}
	env, base, _ := e2e.Serve(t)
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
	ctx := e2e.BrowserFor(t, 15*time.Minute)
	papers := []struct {
		name          string
		width, height float64
	}{{"A4", 8.27, 11.69}, {"Letter", 8.5, 11}}
	var urls []string
	for _, id := range ids {
		for _, lang := range catalog.Languages() {
			urls = append(urls, fmt.Sprintf("%s/%s/warnings/%d", base, lang.Code, id))
		}
	}
	// Two tabs print side by side: one after the other, the prints (64
	// warnings × 20 languages × 2 papers) took most of the ten minutes that
	// a plain `go test ./...` allows a package.
	const tabs = 2
	var printed atomic.Int64
	var wg sync.WaitGroup
	for tab := range tabs {
		tabCtx := ctx
		if tab > 0 {
			var cancel context.CancelFunc
			tabCtx, cancel = chromedp.NewContext(ctx)
			defer cancel()
			if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
				t.Fatalf("open a second tab: %v", err)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := tab; i < len(urls); i += tabs {
				url := urls[i]
				if err := chromedp.Do(tabCtx, chromedp.Navigate(url), chromedp.WaitReady("article.warning")); err != nil {
					t.Errorf("%s: %v", url, err)
					return
				}
				for _, p := range papers {
					n, err := printedSheets(tabCtx, p.width, p.height)
					if err != nil {
						t.Errorf("%s on %s: %v", url, p.name, err)
						return
					}
					if n != 1 {
						t.Errorf("%s prints on %d sheets of %s", url, n, p.name)
					}
					printed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if want := int64(len(urls) * len(papers)); printed.Load() != want {
		t.Fatalf("%d leaflets printed, want %d", printed.Load(), want)
	}
	t.Logf("%d leaflets printed", printed.Load())
}
