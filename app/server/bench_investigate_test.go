package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/seed"
	"forewarn/app/service"
)

// The investigators' exports over 300 warnings (chains of shared phone
// numbers and e-mails) and 5,000 synthetic reports: one whole export per iteration, read to the end. The memory an
// export holds is bounded by its batch (graphExportBatch indicators), not
// by the graph: compare B/op between sizes.
func BenchmarkInvestigateExportCSV(b *testing.B) {
	benchGraphExport(b, "/api/v1/investigate/export.csv")
}

func BenchmarkInvestigateExportSTIX(b *testing.B) {
	benchGraphExport(b, "/api/v1/investigate/export/stix.json")
}

func BenchmarkInvestigateList(b *testing.B) {
	benchGraphExport(b, "/api/v1/investigate/indicators?limit=200")
}

func benchGraphExport(b *testing.B, path string) {
	e := apptest.New(b)
	ctx := context.Background()
	for i := range 300 {
		e.Warning(b, apptest.WithIndicators(
			service.RawIndicator{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 9%05d", i)},
			service.RawIndicator{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 9%05d", i+1)},
			service.RawIndicator{Kind: model.IndicatorEmail, Value: fmt.Sprintf("hr%d@jobs.example", i%50)}))
	}
	if _, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, 5000); err != nil {
		b.Fatal(err)
	}
	if err := e.DB.Gorm.Exec("INSERT INTO organisations (slug, name, website, verified, investigator_since, created_at, updated_at) VALUES ('bench-inspectorate-o', 'Inspectorate', '', true, ?, ?, ?)", apptest.Now, apptest.Now, apptest.Now).Error; err != nil {
		b.Fatal(err)
	}
	var org int64
	apptest.Must(b, e.DB.Gorm.Raw("SELECT id FROM organisations WHERE slug = 'bench-inspectorate-o'").Scan(&org))
	k, err := e.Services.APIKeys.IssueByOperator(ctx, service.KeyInput{Organisation: fmt.Sprint(org), Name: "bench", Scopes: "investigate", RateLimit: "100000"})
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+k.Key)
		res, err := e.App.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("%d %v", res.StatusCode, err)
		}
		size = n
	}
	b.ReportMetric(float64(size), "bytes/export")
}
