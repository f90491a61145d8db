package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"forewarn/app/apperr"
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

// NormalizeIndicator returns the canonical form of raw: phone numbers in
// E.164, links as registrable domain and path, handles lower-cased with their
// platform, names case- and accent-folded, bank accounts without spaces.
// A phone number without a country code is read in the first of regions
// where it is a valid number, else the first where it is a possible one.
func NormalizeIndicator(raw RawIndicator, regions ...string) (model.Indicator, error) {
	value := strings.TrimSpace(raw.Value)
	var out string
	platform := ""
	switch raw.Kind {
	case model.IndicatorPhone:
		num, ok := parsePhone(value, regions)
		if !ok {
			return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.phone"}
		}
		out = phonenumbers.Format(num, phonenumbers.E164)
	case model.IndicatorEmail:
		at := strings.LastIndexByte(value, '@')
		if at < 1 || at == len(value)-1 {
			return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.email"}
		}
		host, err := idna.Lookup.ToASCII(strings.ToLower(value[at+1:]))
		if err != nil {
			return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.email"}
		}
		out = strings.ToLower(value[:at]) + "@" + host
	case model.IndicatorLink:
		link, err := normalizeLink(value)
		if err != nil {
			return model.Indicator{}, err
		}
		out = link
	case model.IndicatorSocial:
		platform = strings.ToLower(strings.TrimSpace(raw.Platform))
		handle := strings.ToLower(strings.TrimPrefix(value, "@"))
		if platform == "" || handle == "" {
			return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.social"}
		}
		out = platform + ":" + handle
	case model.IndicatorCompany:
		out = FoldName(value)
	case model.IndicatorBankAccount:
		out = strings.ToUpper(strings.Join(strings.Fields(value), ""))
	default:
		return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.kind"}
	}
	if out == "" {
		return model.Indicator{}, &apperr.Invalid{Field: "indicator", Key: "error.indicator.empty"}
	}
	sum := sha256.Sum256([]byte(out))
	return model.Indicator{Kind: raw.Kind, Platform: platform, Normalized: out, Hash: hex.EncodeToString(sum[:])}, nil
}

func parsePhone(value string, regions []string) (*phonenumbers.PhoneNumber, bool) {
	if len(regions) == 0 {
		regions = []string{""}
	}
	var possible *phonenumbers.PhoneNumber
	for _, region := range regions {
		num, err := phonenumbers.Parse(value, strings.ToUpper(region))
		if err != nil {
			continue
		}
		if phonenumbers.IsValidNumber(num) {
			return num, true
		}
		if possible == nil && phonenumbers.IsPossibleNumber(num) {
			possible = num
		}
	}
	return possible, possible != nil
}

// normalizeLink reduces a web link to its registrable domain (punycode) and
// its path without a trailing slash; query and fragment are dropped.
func normalizeLink(value string) (string, error) {
	invalid := &apperr.Invalid{Field: "indicator", Key: "error.indicator.link"}
	if !strings.Contains(value, "://") {
		value = "http://" + value
	}
	u, err := url.Parse(value)
	if err != nil || u.Hostname() == "" {
		return "", invalid
	}
	host, err := idna.Lookup.ToASCII(strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")))
	if err != nil {
		return "", invalid
	}
	domain, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", invalid
	}
	return domain + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// FoldName folds a name for matching: accents removed, case folded, spaces
// collapsed.
func FoldName(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.Join(strings.Fields(strings.ToLower(folded)), " ")
}
