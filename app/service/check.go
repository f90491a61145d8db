package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/store"
)

// MaxCheckBytes bounds the text of a check; nothing beyond it is read.
const MaxCheckBytes = 20 << 10

// matchesShown is how many warnings and reports a check shows per indicator.
const matchesShown = 5

// Checker holds the rules of checking an offer: what is extracted, what it
// is matched against, and that nothing of the text is kept. It neither
// stores nor logs the text, nor anything derived from it.
type Checker struct {
	store     *store.Store
	warnings  *Warnings
	companies memo[*extract.Companies]
}

// CheckInput is a text to check, with the reader's country for phone
// numbers written without a country code.
type CheckInput struct {
	Text    string
	Country string
}

// CheckedIndicator is one indicator found in a checked text, with what
// public content mentions it.
type CheckedIndicator struct {
	ID         int64
	Kind       model.IndicatorKind
	Platform   string
	Raw        string
	Normalized string
	Hash       string
	Known      bool
	// Warnings and Reports count the public warnings and reports that
	// mention it; the lists hold the newest of them.
	Warnings     int
	Reports      int
	WarningList  []model.Warning
	ReportList   []model.Report
	WarningTexts map[int64]string
	// WarningLangs is the language of each title of WarningTexts.
	WarningLangs map[int64]string
}

// Verdict is what a check concludes, from the strongest thing known of
// the contacts found.
type Verdict string

// The four verdicts of a check.
const (
	// VerdictDanger: a published warning names a contact of the text.
	VerdictDanger Verdict = "danger"
	// VerdictCaution: only members' public reports name one.
	VerdictCaution Verdict = "caution"
	// VerdictUnknown: contacts were found, but nothing public names them,
	// which does not make the offer safe.
	VerdictUnknown Verdict = "unknown"
	// VerdictNone: nothing recognisable was found in the text.
	VerdictNone Verdict = "none"
)

// CheckResult is the outcome of a check.
type CheckResult struct {
	Country    string
	Indicators []CheckedIndicator
	Verdict    Verdict
	// InWarnings counts the indicators that published warnings name;
	// InReports those that only members' reports name.
	InWarnings int
	InReports  int
	// RedFlags are the message keys of the three strongest warning signs
	// for the reader's country, shown when nothing is known.
	RedFlags []string
}

// Check extracts the indicators of a text and matches them against the
// indicators of published warnings and reports.
func (c *Checker) Check(ctx context.Context, in CheckInput, lang string) (CheckResult, error) {
	var errs apperr.Invalids
	switch {
	case len(in.Text) > MaxCheckBytes:
		errs = append(errs, &apperr.Invalid{Field: "text", Key: "error.check.too_long", Args: map[string]any{"KB": MaxCheckBytes >> 10}})
	case strings.TrimSpace(in.Text) == "":
		errs = append(errs, &apperr.Invalid{Field: "text", Key: "error.check.empty"})
	case !utf8.ValidString(in.Text) || binaryText(in.Text):
		errs = append(errs, &apperr.Invalid{Field: "text", Key: "error.check.binary"})
	}
	country := ""
	if in.Country != "" {
		code, ok := CountryCode(in.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		country = code
	}
	if err := errs.Err(); err != nil {
		return CheckResult{}, err
	}
	companies, err := c.knownCompanies(ctx)
	if err != nil {
		return CheckResult{}, err
	}
	found := extract.Extract(in.Text, extract.Options{Region: country, Companies: companies})
	out := CheckResult{Country: country, Indicators: make([]CheckedIndicator, len(found))}
	hashes := make([]string, len(found))
	for i, f := range found {
		hashes[i] = Hash(f.Normalized)
		out.Indicators[i] = CheckedIndicator{Kind: model.IndicatorKind(f.Kind), Platform: f.Platform, Raw: f.Raw, Normalized: f.Normalized, Hash: hashes[i]}
	}
	matches, err := c.store.MatchIndicators(ctx, hashes)
	if err != nil {
		return CheckResult{}, fmt.Errorf("check: %w", err)
	}
	byHash := map[string]model.IndicatorMatch{}
	var ids []int64
	for _, m := range matches {
		byHash[m.Hash] = m
		ids = append(ids, m.ID)
	}
	warnings, err := c.store.WarningsMentioning(ctx, ids, matchesShown)
	if err != nil {
		return CheckResult{}, fmt.Errorf("check: %w", err)
	}
	reports, err := c.store.ReportsMentioning(ctx, ids, matchesShown)
	if err != nil {
		return CheckResult{}, fmt.Errorf("check: %w", err)
	}
	titles, err := c.warningTitles(ctx, warnings, lang)
	if err != nil {
		return CheckResult{}, err
	}
	for i := range out.Indicators {
		m, ok := byHash[out.Indicators[i].Hash]
		if !ok || m.Kind != out.Indicators[i].Kind {
			continue
		}
		ci := &out.Indicators[i]
		ci.ID, ci.Known, ci.Warnings, ci.Reports = m.ID, true, m.Warnings, m.Reports
		ci.WarningList, ci.ReportList, ci.WarningTexts, ci.WarningLangs = warnings[m.ID], reports[m.ID], titles.text, titles.lang
	}
	out.judge()
	return out, nil
}

// judge sets the verdict of a result from its indicators.
func (r *CheckResult) judge() {
	r.InWarnings, r.InReports = 0, 0
	for _, ind := range r.Indicators {
		switch {
		case ind.Warnings > 0:
			r.InWarnings++
		case ind.Reports > 0:
			r.InReports++
		}
	}
	switch {
	case r.InWarnings > 0:
		r.Verdict = VerdictDanger
	case r.InReports > 0:
		r.Verdict = VerdictCaution
	case len(r.Indicators) > 0:
		r.Verdict = VerdictUnknown
	default:
		r.Verdict = VerdictNone
	}
	r.RedFlags = nil
	if r.Verdict == VerdictUnknown || r.Verdict == VerdictNone {
		r.RedFlags = RedFlags(r.Country)
	}
}

// freeMovement are the countries of the EU, the EEA and Switzerland, whose
// citizens need no visa or work permit to work in one another.
var freeMovement = strings.Fields("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH")

// RedFlags returns the message keys of the three strongest warning signs
// of a trap for a reader in country (ISO 3166-1 alpha-2, or "" when not
// known). A fee to get the job and a demand for the passport come first
// everywhere (the ILO's indicators of recruitment into forced labour).
// Citizens of countries outside the EU, the EEA and Switzerland need a
// visa or a permit to work there, and traffickers sell fake ones: for them
// a promised visa is the third sign; for everyone else, and when the
// country is not known, the third is a missing written contract.
func RedFlags(country string) []string {
	flags := []string{"page.safety.sign_fee", "page.safety.sign_passport", "page.safety.sign_no_contract"}
	if code, ok := CountryCode(country); ok && !slices.Contains(freeMovement, code) {
		flags[2] = "page.safety.sign_visa_promise"
	}
	return flags
}

// warningTitleSet holds the titles of warnings and the language of each.
type warningTitleSet struct {
	text, lang map[int64]string
}

// warningTitles returns the titles of the warnings in lang, else in their
// original language.
func (c *Checker) warningTitles(ctx context.Context, byIndicator map[int64][]model.Warning, lang string) (warningTitleSet, error) {
	var rows []model.Warning
	seen := map[int64]bool{}
	for _, ws := range byIndicator {
		for _, w := range ws {
			if !seen[w.ID] {
				seen[w.ID] = true
				rows = append(rows, w)
			}
		}
	}
	out := warningTitleSet{text: map[int64]string{}, lang: map[int64]string{}}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, w := range rows {
		ids[i] = w.ID
	}
	ts, err := c.store.WarningTitles(ctx, ids, langOf(lang))
	if err != nil {
		return warningTitleSet{}, err
	}
	byWarning := make(map[int64][]model.WarningTranslation, len(rows))
	for _, t := range ts {
		byWarning[t.WarningID] = append(byWarning[t.WarningID], t)
	}
	for _, w := range rows {
		if t, ok := textFor(byWarning[w.ID], langOf(lang), w.Lang); ok {
			out.text[w.ID], out.lang[w.ID] = t.Title, t.Lang
		}
	}
	return out, nil
}

// knownCompanies recognises the company names of listed warnings; it is
// built again when the content changes.
func (c *Checker) knownCompanies(ctx context.Context) (*extract.Companies, error) {
	version, err := c.warnings.Version(ctx)
	if err != nil {
		return nil, err
	}
	return c.companies.get(version, func() (*extract.Companies, error) {
		names, err := c.store.KnownCompanyNames(ctx)
		if err != nil {
			return nil, err
		}
		return extract.NewCompanies(names), nil
	})
}

// IndicatorPage is an indicator with everything public that mentions it.
type IndicatorPage struct {
	model.IndicatorMatch
	Warnings     []model.Warning
	WarningTexts map[int64]string
	Reports      []model.Report
}

// Indicator returns one indicator with the public warnings and reports
// that mention it; one that nothing public mentions is apperr.ErrNotFound.
func (c *Checker) Indicator(ctx context.Context, id int64, lang string) (IndicatorPage, error) {
	m, err := c.store.IndicatorByID(ctx, id)
	if err != nil {
		return IndicatorPage{}, fmt.Errorf("indicator %d: %w", id, err)
	}
	if m.Warnings == 0 && m.Reports == 0 {
		return IndicatorPage{}, fmt.Errorf("indicator %d: %w", id, apperr.ErrNotFound)
	}
	ws, err := c.store.WarningsMentioning(ctx, []int64{id}, 100)
	if err != nil {
		return IndicatorPage{}, err
	}
	rs, err := c.store.ReportsMentioning(ctx, []int64{id}, 100)
	if err != nil {
		return IndicatorPage{}, err
	}
	titles, err := c.warningTitles(ctx, ws, lang)
	if err != nil {
		return IndicatorPage{}, err
	}
	return IndicatorPage{IndicatorMatch: m, Warnings: ws[id], WarningTexts: titles.text, Reports: rs[id]}, nil
}

// Hash is the lower-case hex SHA-256 of a normalised indicator: the value
// of range look-ups.
func Hash(normalized string) string {
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:])
}

// binaryText reports whether s holds control characters other than
// whitespace, as binary files do.
func binaryText(s string) bool {
	controls := 0
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			controls++
			if controls > 3 {
				return true
			}
		}
	}
	return false
}
