package v1

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/store"
)

// exportRevision changes with the shape of the exports, so that their
// ETags change with it.
const exportRevision = "1"

// exportTimeout bounds the reading of one export from the database.
const exportTimeout = 2 * time.Minute

// maxExports is how many exports one instance streams at a time; more
// are answered 429 with Retry-After. Each holds a database connection
// for seconds.
const maxExports = 2

// exportRetryAfter is the Retry-After of a refused export, in seconds.
const exportRetryAfter = "30"

// exportFlushEvery is how many warnings are written between two flushes
// of the response stream.
const exportFlushEvery = 50

// ExportWarning is one line of the JSON Lines export: a public warning
// with all its translations and indicators.
type ExportWarning struct {
	ID               int64               `json:"id"`
	URL              string              `json:"url"`
	Status           string              `json:"status"`
	Severity         string              `json:"severity"`
	Category         string              `json:"category"`
	OriginalLang     string              `json:"original_lang"`
	PublishedAt      *time.Time          `json:"published_at"`
	UpdatedAt        time.Time           `json:"updated_at"`
	ExpiresAt        *time.Time          `json:"expires_at"`
	RetractedAt      *time.Time          `json:"retracted_at"`
	RetractionReason string              `json:"retraction_reason"`
	Organisation     *Organisation       `json:"organisation"`
	Countries        []Country           `json:"countries"`
	Indicators       []ExportIndicator   `json:"indicators"`
	Translations     []ExportTranslation `json:"translations"`
}

// ExportIndicator is an indicator of an exported warning.
type ExportIndicator struct {
	Kind       string `json:"kind"`
	Platform   string `json:"platform,omitempty"`
	Value      string `json:"value"`
	Normalized string `json:"normalized"`
	SHA256     string `json:"sha256"`
}

// ExportTranslation is a warning's text in one language; Body is Markdown.
type ExportTranslation struct {
	Lang      string    `json:"lang"`
	Title     string    `json:"title"`
	Summary   string    `json:"summary"`
	WhatToDo  string    `json:"what_to_do"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (h *Handler) exportWarning(w store.ExportedWarning) ExportWarning {
	out := ExportWarning{
		ID: w.ID, URL: h.baseURL + "/w/" + itoa(w.ID), Status: string(w.Status), Severity: string(w.Severity),
		Category: w.Category, OriginalLang: w.Lang, PublishedAt: utc(w.PublishedAt), UpdatedAt: w.UpdatedAt.UTC(),
		ExpiresAt: utc(w.ExpiresAt), Countries: make([]Country, len(w.Countries)),
		Indicators: make([]ExportIndicator, len(w.Indicators)), Translations: make([]ExportTranslation, len(w.Translations)),
	}
	if w.Status == "retracted" {
		out.RetractedAt, out.RetractionReason = utc(w.RetractedAt), w.RetractionReason
	}
	if w.Organisation != nil {
		out.Organisation = &Organisation{Name: w.Organisation.Name, Verified: w.Organisation.Verified}
	}
	for i, c := range w.Countries {
		out.Countries[i] = Country{Code: c.Country, Role: string(c.Role)}
	}
	for i, ind := range w.Indicators {
		out.Indicators[i] = ExportIndicator{Kind: string(ind.Kind), Platform: ind.Platform, Value: ind.Raw, Normalized: ind.Normalized, SHA256: ind.Hash}
	}
	for i, t := range w.Translations {
		out.Translations[i] = ExportTranslation{Lang: t.Lang, Title: t.Title, Summary: t.Summary, WhatToDo: t.WhatToDo, Body: t.Body, UpdatedAt: t.UpdatedAt.UTC()}
	}
	return out
}

// startExport sets the headers of an export and answers a request whose
// If-None-Match names the current version with 304. It reports whether the
// body is to be written: not for HEAD, and not when the instance already
// streams maxExports (429 with Retry-After). When it is, the caller must
// stream it, which gives the export's token back. The strong ETag is the
// content version, which every write to public content moves, and the
// export's format.
func (h *Handler) startExport(c *fiber.Ctx, format, contentType, filename string) (bool, error) {
	version, err := h.svc.Warnings.Version(c.UserContext())
	if err != nil {
		return false, err
	}
	etag := `"export-` + format + "-" + exportRevision + "-" + version + `"`
	c.Set(fiber.HeaderETag, etag)
	setPublicCache(c, "public, no-cache")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Status(fiber.StatusNotModified)
		return false, nil
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	if c.Method() == fiber.MethodHead {
		return false, nil
	}
	if !h.acquireExport(c) {
		return false, fiber.ErrTooManyRequests
	}
	return true, nil
}

// acquireExport takes one of the instance's maxExports tokens, or sets
// Retry-After and reports false when all are taken. A caller that got one
// must stream (streamBody gives it back).
func (h *Handler) acquireExport(c *fiber.Ctx) bool {
	select {
	case h.exports <- struct{}{}:
		return true
	default:
		c.Set(fiber.HeaderRetryAfter, exportRetryAfter)
		return false
	}
}

// stream writes an export to the response body as it is read: write is
// called once per warning, flush at the end. The walk runs after the
// handler returns, under a context of its own; an error ends the body
// early and is logged, as the status has been sent.
func (h *Handler) stream(c *fiber.Ctx, what string, begin func(*bufio.Writer) error, write func(*bufio.Writer, store.ExportedWarning) error, end func(*bufio.Writer) error) {
	h.streamBody(c, what, func(ctx context.Context, w *bufio.Writer) (int, error) {
		n := 0
		err := begin(w)
		if err == nil {
			err = h.svc.Warnings.EachExported(ctx, func(x store.ExportedWarning) error {
				if err := write(w, x); err != nil {
					return err
				}
				if n++; n%exportFlushEvery == 0 {
					return w.Flush()
				}
				return nil
			})
		}
		if err == nil {
			err = end(w)
		}
		return n, err
	})
}

// streamBody writes a body with walk after the handler returns, under a
// context of its own bounded by exportTimeout, gives back the export's
// token and flushes at the end. walk returns how many records it wrote;
// an error ends the body early and is logged, as the status has been sent.
func (h *Handler) streamBody(c *fiber.Ctx, what string, walk func(context.Context, *bufio.Writer) (int, error)) {
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer func() { <-h.exports }()
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		n, err := walk(ctx, w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			h.log.Error("export ended early", "export", what, "records", n, "err", err)
		}
	})
}

// ExportJSONL serves GET /api/v1/export/warnings.jsonl: one public
// warning per line, by ID.
func (h *Handler) ExportJSONL(c *fiber.Ctx) error {
	ok, err := h.startExport(c, "jsonl", "application/x-ndjson; charset=utf-8", "forewarn-warnings.jsonl")
	if !ok || err != nil {
		return err
	}
	var enc *json.Encoder
	h.stream(c, "jsonl",
		func(w *bufio.Writer) error {
			enc = json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return nil
		},
		func(w *bufio.Writer, x store.ExportedWarning) error { return enc.Encode(h.exportWarning(x)) },
		func(*bufio.Writer) error { return nil })
	return nil
}

// csvHeader names the columns of the CSV export: one row per warning and
// translation.
var csvHeader = []string{
	"warning_id", "url", "status", "severity", "category", "original_lang", "published_at", "updated_at", "expires_at",
	"retracted_at", "retraction_reason", "organisation", "organisation_verified", "countries", "indicators",
	"lang", "title", "summary", "what_to_do", "body",
}

// ExportCSV serves GET /api/v1/export/warnings.csv: RFC 4180, UTF-8, one
// row per warning and translation, cells that a spreadsheet would read as
// a formula prefixed with an apostrophe.
func (h *Handler) ExportCSV(c *fiber.Ctx) error {
	ok, err := h.startExport(c, "csv", "text/csv; charset=utf-8; header=present", "forewarn-warnings.csv")
	if !ok || err != nil {
		return err
	}
	var cw *csv.Writer
	row := make([]string, len(csvHeader))
	h.stream(c, "csv",
		func(w *bufio.Writer) error {
			cw = csv.NewWriter(w)
			cw.UseCRLF = true
			return cw.Write(csvHeader)
		},
		func(w *bufio.Writer, x store.ExportedWarning) error {
			e := h.exportWarning(x)
			countries := make([]string, len(e.Countries))
			for i, c := range e.Countries {
				countries[i] = c.Code + ":" + c.Role
			}
			indicators := make([]string, len(e.Indicators))
			for i, ind := range e.Indicators {
				indicators[i] = ind.Kind + ":" + ind.Normalized
			}
			org, verified := "", ""
			if e.Organisation != nil {
				org, verified = e.Organisation.Name, strconv.FormatBool(e.Organisation.Verified)
			}
			for _, t := range e.Translations {
				row = append(row[:0], itoa(e.ID), e.URL, e.Status, e.Severity, e.Category, e.OriginalLang,
					csvTime(e.PublishedAt), csvTime(&e.UpdatedAt), csvTime(e.ExpiresAt), csvTime(e.RetractedAt), e.RetractionReason,
					org, verified, strings.Join(countries, " "), strings.Join(indicators, "\n"),
					t.Lang, t.Title, t.Summary, t.WhatToDo, t.Body)
				for i := range row {
					row[i] = csvSafe(row[i])
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
			return nil
		},
		func(*bufio.Writer) error {
			cw.Flush()
			return cw.Error()
		})
	return nil
}

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula (OWASP CSV
// injection): a cell that starts with = + - @, a tab or a carriage return
// is prefixed with an apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// STIX 2.1 export.

// stixNamespace is the UUIDv5 namespace of Forewarn's STIX identifiers.
var stixNamespace = [16]byte{0x4f, 0x2c, 0x9a, 0x61, 0x0d, 0x3b, 0x4e, 0x57, 0x8a, 0x1e, 0x6c, 0x2f, 0x90, 0x4b, 0xd3, 0x75}

// uuid5 returns the RFC 9562 version 5 UUID of name in stixNamespace.
func uuid5(name string) string {
	h := sha1.New()
	h.Write(stixNamespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	s := hex.EncodeToString(u[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// tlpWhite is the TLP:WHITE marking definition of the STIX 2.1 standard.
const tlpWhite = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"

// tlpAmber is the TLP:AMBER marking definition of the STIX 2.1 standard:
// investigators' exports are shared with them, not published.
const tlpAmber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"

// stixIdentity is the STIX id of the platform.
var stixIdentity = "identity--" + uuid5("forewarn")

// stixEpoch is the creation time of the platform's identity object.
const stixEpoch = "2026-01-01T00:00:00.000Z"

func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// StixIndicator is a STIX 2.1 indicator object.
type StixIndicator struct {
	Type             string   `json:"type"`
	SpecVersion      string   `json:"spec_version"`
	ID               string   `json:"id"`
	Created          string   `json:"created"`
	Modified         string   `json:"modified"`
	CreatedByRef     string   `json:"created_by_ref"`
	Name             string   `json:"name"`
	IndicatorTypes   []string `json:"indicator_types"`
	Pattern          string   `json:"pattern"`
	PatternType      string   `json:"pattern_type"`
	ValidFrom        string   `json:"valid_from"`
	ValidUntil       string   `json:"valid_until,omitempty"`
	Revoked          bool     `json:"revoked,omitempty"`
	ObjectMarkingRef []string `json:"object_marking_refs"`
	Kind             string   `json:"x_forewarn_kind"`
	Normalized       string   `json:"x_forewarn_normalized"`
	SHA256           string   `json:"x_forewarn_sha256"`
}

// StixReport is a STIX 2.1 report object: one warning.
type StixReport struct {
	Type               string         `json:"type"`
	SpecVersion        string         `json:"spec_version"`
	ID                 string         `json:"id"`
	Created            string         `json:"created"`
	Modified           string         `json:"modified"`
	CreatedByRef       string         `json:"created_by_ref"`
	Name               string         `json:"name"`
	Description        string         `json:"description,omitempty"`
	Lang               string         `json:"lang,omitempty"`
	ReportTypes        []string       `json:"report_types"`
	Published          string         `json:"published"`
	ObjectRefs         []string       `json:"object_refs"`
	Labels             []string       `json:"labels"`
	Revoked            bool           `json:"revoked,omitempty"`
	ExternalReferences []stixExternal `json:"external_references"`
	ObjectMarkingRef   []string       `json:"object_marking_refs"`
	Status             string         `json:"x_forewarn_status"`
	RetractionReason   string         `json:"x_forewarn_retraction_reason,omitempty"`
	Countries          []string       `json:"x_forewarn_countries"`
}

type stixExternal struct {
	SourceName string `json:"source_name"`
	URL        string `json:"url"`
	ExternalID string `json:"external_id"`
}

// stixPattern is the STIX pattern of an indicator over its normal form:
// standard cyber-observables where one fits (e-mail address, URL, user
// account), Forewarn's own x-forewarn-* ones for phone numbers, bank
// accounts and company names.
func stixPattern(kind, normalized string) string {
	q := func(s string) string {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	switch kind {
	case "email":
		return "[email-addr:value = " + q(normalized) + "]"
	case "link":
		return "[url:value = " + q(normalized) + "]"
	case "social":
		platform, handle, _ := strings.Cut(normalized, ":")
		if id, ok := strings.CutPrefix(handle, "id:"); ok {
			return "[user-account:account_type = " + q(platform) + " AND user-account:user_id = " + q(id) + "]"
		}
		return "[user-account:account_type = " + q(platform) + " AND user-account:account_login = " + q(handle) + "]"
	case "phone":
		return "[x-forewarn-phone:value = " + q(normalized) + "]"
	case "bank_account":
		return "[x-forewarn-bank-account:iban = " + q(normalized) + "]"
	}
	return "[x-forewarn-company:name = " + q(normalized) + "]"
}

// stixObjects returns the STIX objects of one warning: an indicator per
// indicator, then the report that refers to them. Ids are UUIDv5 of the
// warning and the indicator's hash, so that they stay the same from one
// export to the next.
func (h *Handler) stixObjects(x store.ExportedWarning) ([]StixIndicator, StixReport) {
	e := h.exportWarning(x)
	created := x.CreatedAt
	if x.PublishedAt != nil {
		created = *x.PublishedAt
	}
	modified := x.UpdatedAt
	if modified.Before(created) {
		modified = created
	}
	revoked := e.Status == "retracted"
	marking := []string{tlpWhite}
	inds := make([]StixIndicator, len(e.Indicators))
	refs := make([]string, 0, len(e.Indicators)+1)
	for i, ind := range e.Indicators {
		si := StixIndicator{
			Type: "indicator", SpecVersion: "2.1", ID: "indicator--" + uuid5(fmt.Sprintf("warning/%d/indicator/%s", e.ID, ind.SHA256)),
			Created: stixTime(created), Modified: stixTime(modified), CreatedByRef: stixIdentity,
			Name: ind.Kind + " " + ind.Normalized, IndicatorTypes: []string{"malicious-activity"},
			Pattern: stixPattern(ind.Kind, ind.Normalized), PatternType: "stix", ValidFrom: stixTime(created),
			Revoked: revoked, ObjectMarkingRef: marking, Kind: ind.Kind, Normalized: ind.Normalized, SHA256: ind.SHA256,
		}
		if x.ExpiresAt != nil && x.ExpiresAt.After(created) {
			si.ValidUntil = stixTime(*x.ExpiresAt)
		}
		inds[i] = si
		refs = append(refs, si.ID)
	}
	refs = append(refs, stixIdentity)
	name, summary := "", ""
	for _, t := range e.Translations {
		if name == "" || t.Lang == e.OriginalLang {
			name, summary = t.Title, t.Summary
		}
	}
	if name == "" {
		name = "Warning " + itoa(e.ID)
	}
	countries := make([]string, len(e.Countries))
	for i, c := range e.Countries {
		countries[i] = c.Code + ":" + c.Role
	}
	r := StixReport{
		Type: "report", SpecVersion: "2.1", ID: "report--" + uuid5(fmt.Sprintf("warning/%d", e.ID)),
		Created: stixTime(created), Modified: stixTime(modified), CreatedByRef: stixIdentity,
		Name: name, Description: summary, Lang: e.OriginalLang, ReportTypes: []string{"threat-report"},
		Published: stixTime(created), ObjectRefs: refs, Labels: []string{e.Category, e.Severity}, Revoked: revoked,
		ExternalReferences: []stixExternal{{SourceName: "forewarn", URL: e.URL, ExternalID: itoa(e.ID)}},
		ObjectMarkingRef:   marking, Status: e.Status, RetractionReason: e.RetractionReason, Countries: countries,
	}
	return inds, r
}

// writeStixHead opens a STIX 2.1 bundle with id and writes its first
// objects: the marking definition (TLP:WHITE, or TLP:AMBER for
// investigators' exports) and the platform's identity. Further objects
// follow, each after ",\n"; the bundle ends with "]}\n".
func writeStixHead(w *bufio.Writer, id, marking string) error {
	_, err := fmt.Fprintf(w, `{"type":"bundle","id":"bundle--%s","objects":[`+"\n", id)
	if err != nil {
		return err
	}
	if marking == tlpAmber {
		_, err = fmt.Fprintf(w, `{"type":"marking-definition","spec_version":"2.1","id":"%s","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:AMBER","definition":{"tlp":"amber"}}`+",\n", tlpAmber)
	} else {
		_, err = fmt.Fprintf(w, `{"type":"marking-definition","spec_version":"2.1","id":"%s","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}`+",\n", tlpWhite)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, `{"type":"identity","spec_version":"2.1","id":"%s","created":"%s","modified":"%s","name":"Forewarn","identity_class":"organization","description":"Published warnings about fake job offers, fake travel agencies and labour exploitation."}`, stixIdentity, stixEpoch, stixEpoch)
	return err
}

// ExportSTIX serves GET /api/v1/export/stix.json: a STIX 2.1 bundle with
// the platform's identity, the TLP:WHITE marking, and per public warning
// its indicators and a report.
func (h *Handler) ExportSTIX(c *fiber.Ctx) error {
	ok, err := h.startExport(c, "stix", "application/stix+json;version=2.1", "forewarn-stix.json")
	if !ok || err != nil {
		return err
	}
	version := string(c.Response().Header.Peek(fiber.HeaderETag))
	var enc *json.Encoder
	h.stream(c, "stix",
		func(w *bufio.Writer) error {
			enc = json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return writeStixHead(w, uuid5("bundle/"+version), tlpWhite)
		},
		func(w *bufio.Writer, x store.ExportedWarning) error {
			inds, report := h.stixObjects(x)
			for _, o := range inds {
				if _, err := w.WriteString(",\n"); err != nil {
					return err
				}
				if err := enc.Encode(o); err != nil {
					return err
				}
			}
			if _, err := w.WriteString(",\n"); err != nil {
				return err
			}
			return enc.Encode(report)
		},
		func(w *bufio.Writer) error {
			_, err := w.WriteString("]}\n")
			return err
		})
	return nil
}
