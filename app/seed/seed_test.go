package seed_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/seed"
)

func TestDemoIsRichFictionalAndIdempotent(t *testing.T) {
	ctx := context.Background()
	e := apptest.New(t)
	res, err := seed.Demo(ctx, e.Services.Importer, apptest.Now)
	if err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	if res.Warnings < 40 || res.Reports < 60 {
		t.Errorf("created %d warnings and %d reports, want at least 40 and 60", res.Warnings, res.Reports)
	}
	again, err := seed.Demo(ctx, e.Services.Importer, apptest.Now)
	if err != nil || again.Warnings != 0 || again.Reports != 0 {
		t.Errorf("second run: %+v, %v; want nothing new", again, err)
	}

	g := e.DB.Gorm
	var categories, countries, published int64
	apptest.Must(t, g.Raw("SELECT COUNT(DISTINCT category_id) FROM warnings").Scan(&categories))
	apptest.Must(t, g.Raw("SELECT COUNT(DISTINCT country) FROM warning_countries").Scan(&countries))
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM reports WHERE status = 'published'").Scan(&published))
	if categories < 6 || countries < 12 || published < 60 {
		t.Errorf("%d categories, %d countries, %d published reports", categories, countries, published)
	}
	var thin int64
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM warnings w WHERE (SELECT COUNT(*) FROM warning_translations t WHERE t.warning_id = w.id) < 3").Scan(&thin))
	if thin > 0 {
		t.Errorf("%d warnings have fewer than 3 translations", thin)
	}

	// Every trace points at a range reserved for fiction.
	var indicators []model.Indicator
	if err := g.Find(&indicators).Error; err != nil {
		t.Fatal(err)
	}
	fictionalPhone := regexp.MustCompile(`^\+(447700900\d{3}|442079460\d{3}|1\d{3}55501\d{2}|3363998\d{4}|6149157\d{4})$`)
	fictionalHost := regexp.MustCompile(`\.(example|invalid|test)(/|$)`)
	for _, ind := range indicators {
		switch ind.Kind {
		case model.IndicatorPhone:
			if !fictionalPhone.MatchString(ind.Normalized) {
				t.Errorf("phone %s is not in a range reserved for fiction", ind.Normalized)
			}
		case model.IndicatorLink:
			if !fictionalHost.MatchString(ind.Normalized) {
				t.Errorf("link %s is not under a reserved domain", ind.Normalized)
			}
		case model.IndicatorEmail:
			if !fictionalHost.MatchString(ind.Normalized[strings.LastIndexByte(ind.Normalized, '@'):]) {
				t.Errorf("e-mail %s is not under a reserved domain", ind.Normalized)
			}
		}
	}

	// Help pages and organisations' contacts: 112 or fiction only.
	var help []model.HelpEntry
	apptest.Must(t, g.Find(&help))
	var orgs []model.Organisation
	apptest.Must(t, g.Find(&orgs))
	if len(help) < 15 {
		t.Errorf("%d help entries", len(help))
	}
	fictionalWeb := regexp.MustCompile(`^https://[a-z0-9.-]+\.example(\.org)?$`)
	check := func(what, phone, web, email string) {
		if phone != "" && phone != "112" && !fictionalPhone.MatchString(phone) {
			t.Errorf("%s: phone %s is not 112 nor in a range reserved for fiction", what, phone)
		}
		if web != "" && !fictionalWeb.MatchString(web) {
			t.Errorf("%s: website %s is not under a reserved domain", what, web)
		}
		if email != "" && !strings.HasSuffix(email, ".example") {
			t.Errorf("%s: e-mail %s is not under a reserved domain", what, email)
		}
	}
	for _, h := range help {
		check(h.Name, h.Phone, h.Website, "")
	}
	for _, o := range orgs {
		check(o.Name, o.Phone, o.Website, o.Email)
	}
	if _, err := seed.Demo(ctx, e.Services.Importer, apptest.Now); err != nil {
		t.Fatalf("third run: %v", err)
	}
	var helpAgain int64
	apptest.Must(t, g.Model(&model.HelpEntry{}).Count(&helpAgain))
	if helpAgain != int64(len(help)) {
		t.Errorf("help entries changed on a repeated run: %d, then %d", len(help), helpAgain)
	}
}
