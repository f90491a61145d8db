package service

import (
	"context"
	"strings"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/store"
)

// RawIndicator is an indicator as someone wrote it.
type RawIndicator struct {
	Kind     model.IndicatorKind
	Platform string
	Value    string
}

// ensureIndicator normalises raw and returns the stored indicator, creating
// it when it is new. regions are the ISO countries, most likely first, in
// which a phone number written without a country code may be.
func ensureIndicator(ctx context.Context, st *store.Store, raw RawIndicator, regions ...string) (model.Indicator, error) {
	norm, err := NormalizeIndicator(raw, regions...)
	if err != nil {
		return model.Indicator{}, err
	}
	return st.EnsureIndicator(ctx, norm)
}

// NormalizeIndicator returns the canonical form of raw, the same that the
// check of an offer computes (package extract), as docs/indicators.md
// specifies: phone numbers in E.164, links as registrable domain, path
// (case kept) and query without tracking parameters (a messenger or social
// link becomes the phone or profile it points to), handles as
// platform:handle, names folded with their legal-form suffixes kept, IBANs
// without spaces. A phone number without a country code is read in the first of
// regions where it is a valid number, else the first where it is possible.
func NormalizeIndicator(raw RawIndicator, regions ...string) (model.Indicator, error) {
	kind, platform := raw.Kind, ""
	var out string
	var ok bool
	switch raw.Kind {
	case model.IndicatorPhone:
		out, ok = extract.NormalizePhone(raw.Value, regions...)
	case model.IndicatorEmail:
		out, ok = extract.NormalizeEmail(raw.Value)
	case model.IndicatorLink:
		var k extract.Kind
		k, platform, out, ok = extract.NormalizeLink(raw.Value)
		kind = model.IndicatorKind(k)
	case model.IndicatorSocial:
		out, ok = extract.NormalizeHandle(raw.Platform, raw.Value)
		platform = strings.ToLower(strings.TrimSpace(raw.Platform))
	case model.IndicatorCompany:
		out = FoldName(raw.Value)
		ok = out != ""
	case model.IndicatorBankAccount:
		out, ok = extract.NormalizeIBAN(raw.Value)
	default:
		return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.kind"}
	}
	if !ok || out == "" {
		return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator." + string(raw.Kind)}
	}
	return model.Indicator{Kind: kind, Platform: platform, Normalized: out, Hash: Hash(out)}, nil
}

// FoldName folds a name for matching: accents removed, case folded,
// punctuation and spaces made uniform.
func FoldName(s string) string {
	return extract.FoldName(s)
}

// textIndicators extracts the indicators of a post's text and stores them,
// for linking to the post.
func textIndicators(ctx context.Context, tx *store.Store, text string, regions []string, companies *extract.Companies) ([]foundIndicator, error) {
	region := ""
	if len(regions) > 0 {
		region = regions[0]
	}
	var out []foundIndicator
	seen := map[int64]bool{}
	for _, f := range extract.Extract(text, extract.Options{Region: region, Companies: companies}) {
		ind, err := tx.EnsureIndicator(ctx, model.Indicator{Kind: model.IndicatorKind(f.Kind), Platform: f.Platform, Normalized: f.Normalized, Hash: Hash(f.Normalized)})
		if err != nil {
			return nil, err
		}
		if !seen[ind.ID] {
			seen[ind.ID] = true
			out = append(out, foundIndicator{id: ind.ID, raw: f.Raw})
		}
	}
	return out, nil
}
