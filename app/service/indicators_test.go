package service

import (
	"testing"

	"forewarn/app/model"
)

func TestNormalizeIndicator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind     model.IndicatorKind
		platform string
		value    string
		regions  []string
		want     string
	}{
		{model.IndicatorPhone, "", "+44 7700 900123", nil, "+447700900123"},
		{model.IndicatorPhone, "", "07700 900123", []string{"GB"}, "+447700900123"},
		{model.IndicatorPhone, "", "(07700) 900-123", []string{"GB", "UA"}, "+447700900123"},
		{model.IndicatorPhone, "", "067 123 45 67", []string{"GB", "UA"}, "+380671234567"},
		{model.IndicatorPhone, "", "0044 7700 900123", []string{"FR"}, "+447700900123"},
		{model.IndicatorPhone, "", "06 39 98 45 10", []string{"FR"}, "+33639984510"},
		{model.IndicatorEmail, "", " HR@EuroDrive-Jobs.Example ", nil, "hr@eurodrive-jobs.example"},
		{model.IndicatorLink, "", "https://Jobs.EuroDrive.example/apply/?utm_source=fb#top", nil, "eurodrive.example/apply"},
		{model.IndicatorLink, "", "eurodrive.example", nil, "eurodrive.example"},
		{model.IndicatorLink, "", "http://xn--bcher-kva.example/", nil, "xn--bcher-kva.example"},
		{model.IndicatorLink, "", "https://bücher.example/Angebot", nil, "xn--bcher-kva.example/Angebot"},
		{model.IndicatorSocial, "Instagram", "@Visa_Fast", nil, "instagram:visa_fast"},
		{model.IndicatorCompany, "", "  Lagerkraft  SÜD GmbH ", nil, "lagerkraft sud gmbh"},
		{model.IndicatorBankAccount, "", "gb33 bukb 2020 1555 5555 55", nil, "GB33BUKB20201555555555"},
	} {
		got, err := NormalizeIndicator(RawIndicator{Kind: tc.kind, Platform: tc.platform, Value: tc.value}, tc.regions...)
		if err != nil {
			t.Errorf("%s %q: %v", tc.kind, tc.value, err)
			continue
		}
		if got.Normalized != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.kind, tc.value, got.Normalized, tc.want)
		}
		if len(got.Hash) != 64 {
			t.Errorf("%s %q: hash %q", tc.kind, tc.value, got.Hash)
		}
	}
}

func TestNormalizeIndicatorRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, raw := range []RawIndicator{
		{Kind: model.IndicatorPhone, Value: "call me"},
		{Kind: model.IndicatorPhone, Value: "12"},
		{Kind: model.IndicatorEmail, Value: "nobody"},
		{Kind: model.IndicatorEmail, Value: "a@"},
		{Kind: model.IndicatorLink, Value: "http://"},
		{Kind: model.IndicatorSocial, Value: "someone"},
		{Kind: model.IndicatorCompany, Value: "   "},
		{Kind: "pigeon", Value: "x"},
	} {
		if got, err := NormalizeIndicator(raw, "GB"); err == nil {
			t.Errorf("%+v normalised to %q", raw, got.Normalized)
		}
	}
}

func TestSameNumberWrittenFiveWaysIsOneIndicator(t *testing.T) {
	t.Parallel()
	var hashes = map[string]bool{}
	for _, v := range []string{"+44 7700 900123", "07700 900123", "0044-7700-900-123", "+44 (0) 7700 900123", "+447700900123"} {
		got, err := NormalizeIndicator(RawIndicator{Kind: model.IndicatorPhone, Value: v}, "GB")
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		hashes[got.Hash] = true
	}
	if len(hashes) != 1 {
		t.Errorf("five writings gave %d indicators", len(hashes))
	}
}
