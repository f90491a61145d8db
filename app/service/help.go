package service

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Help reads the public help pages: per country, where to get help.
type Help struct {
	store *store.Store
}

// HelpKinds are the kinds of help entries, in the order a help page shows
// them.
var HelpKinds = []string{"hotline", "inspectorate", "emergency", "other"}

// HelpContact is a help entry or an organisation as a help page shows it.
type HelpContact struct {
	Kind        string
	Name        string
	Description string
	// Phone is the number to read, Tel the number of its tel: link
	// (empty without one).
	Phone   string
	Tel     string
	Website string
	Email   string
	Hours   string
	// Languages are codes of the languages the organisation answers in.
	Languages []string
	// Lang is the language of the text (Description, Hours).
	Lang string
}

// HelpPage is what a country's help page shows.
type HelpPage struct {
	Country string
	// Entries are the admins' entries in the page's language, else in
	// English, else in the first language there are some in.
	Entries []HelpContact
	// EntriesLang is the language of Entries; Translated is false when it
	// is not the page's language.
	EntriesLang string
	Translated  bool
	// Emergency is the country's emergency number; EmergencyKnown is false
	// when Forewarn does not know it and shows 112 with a caution.
	Emergency      string
	EmergencyKnown bool
	Organisations  []HelpContact
}

// Page builds the help page of a country for a reader of lang. An unknown
// country code is apperr.ErrNotFound.
func (h *Help) Page(ctx context.Context, lang, country string) (HelpPage, error) {
	code, ok := HelpCountry(country)
	if !ok {
		return HelpPage{}, fmt.Errorf("help %q: %w", country, apperr.ErrNotFound)
	}
	rows, err := h.store.HelpEntries(ctx, code)
	if err != nil {
		return HelpPage{}, err
	}
	orgs, err := h.store.OrganisationsCovering(ctx, code)
	if err != nil {
		return HelpPage{}, err
	}
	p := HelpPage{Country: code}
	p.Emergency, p.EmergencyKnown = EmergencyNumber(code)
	p.EntriesLang = pickHelpLang(rows, lang)
	p.Translated = p.EntriesLang == lang
	for _, kind := range HelpKinds {
		for _, e := range rows {
			if e.Lang == p.EntriesLang && e.Kind == kind {
				p.Entries = append(p.Entries, helpContact(e))
			}
		}
	}
	for _, o := range orgs {
		p.Organisations = append(p.Organisations, OrganisationContact(o))
	}
	return p, nil
}

// Countries lists the countries that have help entries or an
// organisation that covers them.
func (h *Help) Countries(ctx context.Context) ([]string, error) {
	codes, err := h.store.HelpCountries(ctx)
	if err != nil {
		return nil, err
	}
	covered, err := h.store.CoveredCountries(ctx)
	if err != nil {
		return nil, err
	}
	for _, list := range covered {
		for _, c := range splitComma(list) {
			codes = appendUnique(codes, c)
		}
	}
	sort.Strings(codes)
	return codes, nil
}

// pickHelpLang chooses the language of the entries a reader of lang sees:
// theirs, else English, else the first there are entries in.
func pickHelpLang(rows []model.HelpEntry, lang string) string {
	has := map[string]bool{}
	for _, e := range rows {
		has[e.Lang] = true
	}
	switch {
	case has[lang]:
		return lang
	case has["en"]:
		return "en"
	case len(rows) > 0:
		return rows[0].Lang
	}
	return lang
}

func helpContact(e model.HelpEntry) HelpContact {
	c := HelpContact{Kind: e.Kind, Name: e.Name, Description: e.Description, Website: e.Website, Hours: e.Hours, Lang: e.Lang}
	c.Phone, c.Tel = PhoneDisplay(e.Phone)
	return c
}

// OrganisationContact is an organisation's public contacts as help pages
// and warnings show them.
func OrganisationContact(o model.Organisation) HelpContact {
	c := HelpContact{Kind: "organisation", Name: o.Name, Description: o.HelpsWith, Website: o.Website, Email: o.Email, Hours: o.Hours}
	c.Phone, c.Tel = PhoneDisplay(o.Phone)
	c.Languages = splitComma(o.Languages)
	return c
}

// PhoneDisplay returns a stored number written for reading and the number
// of its tel: link: E.164 numbers in their international format, short
// numbers (112) as they are.
func PhoneDisplay(stored string) (text, tel string) {
	if stored == "" || !strings.HasPrefix(stored, "+") {
		return stored, stored
	}
	num, err := phonenumbers.Parse(stored, "")
	if err != nil {
		return stored, stored
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL), stored
}

// HelpCountry validates a country code of a help URL in any case and
// returns it upper-cased.
func HelpCountry(s string) (string, bool) {
	code, ok := CountryCode(strings.ToUpper(s))
	if !ok {
		return "", false
	}
	for _, c := range AllCountries() {
		if c == code {
			return code, true
		}
	}
	return "", false
}

// emergencyNumbers are well-known national emergency numbers. 112 works
// in every EU and EEA country (and more); elsewhere only numbers that are
// certain are listed.
var emergencyNumbers = func() map[string]string {
	m := map[string]string{
		"GB": "999", "US": "911", "CA": "911", "MX": "911", "AU": "000", "NZ": "111",
		"PH": "911", "IN": "112", "ZA": "112", "AR": "911", "BR": "190",
	}
	// EU and EEA, Switzerland, and European countries that use 112.
	for _, c := range strings.Fields("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH UA MD TR GE AL ME MK RS BA XK AD MC SM VA") {
		m[c] = "112"
	}
	return m
}()

// EmergencyNumber returns the emergency number of a country; known is
// false when Forewarn does not know it and answers 112, which many phone
// networks route to the local emergency service.
func EmergencyNumber(country string) (number string, known bool) {
	if n, ok := emergencyNumbers[country]; ok {
		return n, true
	}
	return "112", false
}

// HelpEntryInput is what an admin types for a help entry.
type HelpEntryInput struct {
	Country     string
	Lang        string
	Kind        string
	Name        string
	Description string
	Phone       string
	Website     string
	Hours       string
}

// HelpEntries lists a country's help entries in every language, for admins.
func (a *Admin) HelpEntries(ctx context.Context, admin *model.User, country string) ([]model.HelpEntry, error) {
	if err := a.check(admin); err != nil {
		return nil, err
	}
	code, ok := HelpCountry(country)
	if !ok {
		return nil, fmt.Errorf("help %q: %w", country, apperr.ErrNotFound)
	}
	return a.store.HelpEntries(ctx, code)
}

// HelpCountries lists the countries that have help entries, for admins.
func (a *Admin) HelpCountries(ctx context.Context, admin *model.User) ([]string, error) {
	if err := a.check(admin); err != nil {
		return nil, err
	}
	return a.store.HelpCountries(ctx)
}

// HelpEntry loads one help entry, for admins.
func (a *Admin) HelpEntry(ctx context.Context, admin *model.User, id int64) (model.HelpEntry, error) {
	if err := a.check(admin); err != nil {
		return model.HelpEntry{}, err
	}
	return a.store.HelpEntry(ctx, id)
}

// CreateHelpEntry adds a help entry to a country.
func (a *Admin) CreateHelpEntry(ctx context.Context, admin *model.User, in HelpEntryInput) (int64, error) {
	if err := a.check(admin); err != nil {
		return 0, err
	}
	e, err := validHelpEntry(in)
	if err != nil {
		return 0, err
	}
	now := a.now()
	e.CreatedAt, e.UpdatedAt = now, now
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateHelpEntry(ctx, &e); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "help.create", TargetType: "help_entry", TargetID: e.ID,
			AfterText: helpText(e), Lang: e.Lang, Countries: " " + e.Country + " ", CreatedAt: now})
	})
	return e.ID, err
}

// UpdateHelpEntry changes a help entry; its country stays.
func (a *Admin) UpdateHelpEntry(ctx context.Context, admin *model.User, id int64, in HelpEntryInput) error {
	if err := a.check(admin); err != nil {
		return err
	}
	before, err := a.store.HelpEntry(ctx, id)
	if err != nil {
		return err
	}
	in.Country = before.Country
	e, err := validHelpEntry(in)
	if err != nil {
		return err
	}
	now := a.now()
	e.ID, e.UpdatedAt = id, now
	return a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateHelpEntry(ctx, e); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "help.update", TargetType: "help_entry", TargetID: id,
			BeforeText: helpText(before), AfterText: helpText(e), Lang: e.Lang, Countries: " " + e.Country + " ", CreatedAt: now})
	})
}

// DeleteHelpEntry removes a help entry.
func (a *Admin) DeleteHelpEntry(ctx context.Context, admin *model.User, id int64) (string, error) {
	if err := a.check(admin); err != nil {
		return "", err
	}
	before, err := a.store.HelpEntry(ctx, id)
	if err != nil {
		return "", err
	}
	now := a.now()
	return before.Country, a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteHelpEntry(ctx, id); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "help.delete", TargetType: "help_entry", TargetID: id,
			BeforeText: helpText(before), Lang: before.Lang, Countries: " " + before.Country + " ", CreatedAt: now})
	})
}

func helpText(e model.HelpEntry) string {
	return strings.Join([]string{e.Country, e.Lang, e.Kind, e.Name, e.Description, e.Phone, e.Website, e.Hours}, " | ")
}

func validHelpEntry(in HelpEntryInput) (model.HelpEntry, error) {
	var errs apperr.Invalids
	code, ok := HelpCountry(strings.TrimSpace(in.Country))
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
	}
	lang, ok := contentLanguage(strings.TrimSpace(in.Lang))
	if !ok || len(in.Lang) > 35 {
		errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
	}
	kind := strings.TrimSpace(in.Kind)
	known := false
	for _, k := range HelpKinds {
		known = known || k == kind
	}
	if !known {
		errs = append(errs, &apperr.Invalid{Field: "kind", Key: "error.help.kind"})
	}
	e := model.HelpEntry{Country: code, Lang: lang, Kind: kind,
		Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description), Hours: strings.TrimSpace(in.Hours)}
	errs = append(errs, checkText("name", e.Name, 2, 120)...)
	errs = append(errs, checkText("description", e.Description, 0, 500)...)
	errs = append(errs, checkText("hours", e.Hours, 0, 120)...)
	phone, perr := validPhone("phone", in.Phone, code)
	errs = append(errs, perr...)
	web, werr := validHTTPS("website", in.Website)
	errs = append(errs, werr...)
	if phone == "" && web == "" {
		errs = append(errs, &apperr.Invalid{Field: "phone", Key: "error.help.no_contact"})
	}
	e.Phone, e.Website = phone, web
	return e, errs.Err()
}

// validPhone checks a phone number and returns it in E.164. Short numbers
// (112, 116 000, 1414) of 3 to 6 digits are kept as they are: hotlines and
// emergency numbers. Others must be valid numbers of region (or written
// with their country code, region "").
func validPhone(field, s, region string) (string, apperr.Invalids) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := apperr.Invalids{{Field: field, Key: "error.help.phone"}}
	if len(s) > 30 {
		return "", bad
	}
	compact := strings.NewReplacer(" ", "", "-", "", ".", "").Replace(s)
	if len(compact) >= 3 && len(compact) <= 6 && allASCIIDigits(compact) {
		return compact, nil
	}
	if region == "" && !strings.HasPrefix(compact, "+") {
		return "", bad
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", bad
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(num) && !extract.IsFictionalPhone(e164) {
		return "", bad
	}
	return e164, nil
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validHTTPS checks a web address: https only, with a host, no user name.
func validHTTPS(field, s string) (string, apperr.Invalids) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(s) > 300 || strings.ContainsAny(s, " \t\r\n") {
		return "", apperr.Invalids{{Field: field, Key: "error.help.website"}}
	}
	return u.String(), nil
}

// OrganisationContactsInput is what an admin types for an organisation's
// public contacts; Languages and Countries are comma-separated codes.
type OrganisationContactsInput struct {
	Phone     string
	Email     string
	Hours     string
	Languages string
	HelpsWith string
	Countries string
}

// SetOrganisationContacts changes an organisation's public contacts.
func (a *Admin) SetOrganisationContacts(ctx context.Context, admin *model.User, id int64, in OrganisationContactsInput) error {
	if err := a.check(admin); err != nil {
		return err
	}
	before, err := a.store.Organisation(ctx, id)
	if err != nil {
		return fmt.Errorf("organisation %d: %w", id, err)
	}
	o, err := validContacts(in)
	if err != nil {
		return err
	}
	now := a.now()
	o.ID, o.UpdatedAt = id, now
	return a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetOrganisationContacts(ctx, o); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "organisation.contacts", TargetType: "organisation", TargetID: id,
			BeforeText: contactsText(before), AfterText: contactsText(o), CreatedAt: now})
	})
}

func contactsText(o model.Organisation) string {
	return strings.Join([]string{o.Phone, o.Email, o.Hours, o.Languages, o.HelpsWith, o.Countries}, " | ")
}

func validContacts(in OrganisationContactsInput) (model.Organisation, error) {
	var errs apperr.Invalids
	o := model.Organisation{Hours: strings.TrimSpace(in.Hours), HelpsWith: strings.TrimSpace(in.HelpsWith), Email: strings.TrimSpace(in.Email)}
	errs = append(errs, checkText("hours", o.Hours, 0, 120)...)
	errs = append(errs, checkText("helps_with", o.HelpsWith, 0, 300)...)
	var perr apperr.Invalids
	o.Phone, perr = validPhone("phone", in.Phone, "")
	errs = append(errs, perr...)
	if email, ok := normalizeEmail(o.Email); !ok || email != o.Email {
		errs = append(errs, &apperr.Invalid{Field: "email", Key: "error.email.invalid"})
	}
	var langs, countries []string
	for _, l := range splitComma(in.Languages) {
		code, ok := contentLanguage(l)
		if !ok || len(l) > 35 {
			errs = append(errs, &apperr.Invalid{Field: "languages", Key: "error.language.unknown"})
			continue
		}
		langs = appendUnique(langs, code)
	}
	for _, c := range splitComma(in.Countries) {
		code, ok := HelpCountry(c)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "countries", Key: "error.country.unknown"})
			continue
		}
		countries = appendUnique(countries, code)
	}
	if len(langs) > 40 || len(countries) > 60 {
		errs = append(errs, &apperr.Invalid{Field: "countries", Key: "error.help.too_many"})
	}
	sort.Strings(countries)
	o.Languages, o.Countries = strings.Join(langs, ","), strings.Join(countries, ",")
	if err := errs.Err(); err != nil {
		return model.Organisation{}, err
	}
	return o, nil
}

// SplitCodes splits a stored comma-separated list of codes.
func SplitCodes(list string) []string {
	return splitComma(list)
}
