package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// offlineWarnings is how many of the latest warnings a phone keeps when its
// reader asks to read them offline.
const offlineWarnings = "50"

// offlineShell lists the static files every kept page needs.
var offlineShell = []string{"app.css", "app.js", "offline.js", "icon.svg"}

// OfflinePage is the data of the offline page: what a phone keeps for the
// reader's language and country.
type OfflinePage struct {
	Country  string
	Warnings []service.WarningSummary
}

// offlineSet returns the latest warnings in the reader's language for the
// country of the query (all countries when empty); an unknown country is an
// apperr.Invalid.
func (h *Handler) offlineSet(c *fiber.Ctx) (OfflinePage, error) {
	l := h.localizer(c)
	list, err := h.svc.Warnings.List(c.UserContext(), service.WarningQuery{Lang: l.Code, Country: c.Query("country"), Limit: offlineWarnings})
	if err != nil {
		return OfflinePage{}, err
	}
	return OfflinePage{Country: list.Filter.Country, Warnings: list.Items}, nil
}

// ShowOffline renders the page a kept phone shows for a page it does not
// keep while there is no connection: the list of what it keeps.
func (h *Handler) ShowOffline(c *fiber.Ctx) error {
	set, err := h.offlineSet(c)
	if err != nil {
		return err
	}
	l := h.localizer(c)
	return h.render(c, fiber.StatusOK, "offline", h.page(c, l.T("offline.title"), set))
}

// OfflineList is the list of URLs a phone keeps for offline reading.
type OfflineList struct {
	URLs []string `json:"urls"`
}

// ListOffline serves the URLs the service worker keeps when the reader asks
// to keep warnings on their phone: the shell, the offline, safety and help
// pages and the latest warnings of the reader's language and country. Only
// public pages are listed.
func (h *Handler) ListOffline(c *fiber.Ctx) error {
	set, err := h.offlineSet(c)
	if err != nil {
		return err
	}
	code := "/" + h.localizer(c).Code
	out := OfflineList{URLs: make([]string, 0, len(offlineShell)+3+len(set.Warnings))}
	for _, name := range offlineShell {
		out.URLs = append(out.URLs, h.views.AssetURL(name))
	}
	offline := code + "/offline"
	if set.Country != "" {
		offline += "?country=" + set.Country
	}
	out.URLs = append(out.URLs, offline, code+"/safety")
	if set.Country != "" {
		out.URLs = append(out.URLs, code+"/help/"+set.Country)
	}
	for _, w := range set.Warnings {
		out.URLs = append(out.URLs, code+"/warnings/"+strconv.FormatInt(w.ID, 10))
	}
	return c.JSON(out)
}

// Manifest is a web app manifest (https://www.w3.org/TR/appmanifest/).
type Manifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	Dir             string         `json:"dir"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	ThemeColor      string         `json:"theme_color"`
	BackgroundColor string         `json:"background_color"`
	Icons           []ManifestIcon `json:"icons"`
}

// ManifestIcon is one icon of a Manifest.
type ManifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// ShowManifest serves the web app manifest of the reader's language.
func (h *Handler) ShowManifest(c *fiber.Ctx) error {
	l := h.localizer(c)
	home := "/" + l.Code + "/"
	m := Manifest{
		ID: home, Name: "Forewarn", ShortName: "Forewarn", Description: l.T("site.description"),
		Lang: l.Tag, Dir: l.Dir(), StartURL: home, Scope: home, Display: "standalone",
		ThemeColor: "#b3261e", BackgroundColor: "#ffffff",
		// PNG only: an SVG icon here makes Chrome draw it on the page's
		// main thread after every load (about 200 ms of blocking time on a
		// mid phone).
		Icons: []ManifestIcon{
			{Src: h.views.AssetURL("icon-192.png"), Sizes: "192x192", Type: "image/png"},
			{Src: h.views.AssetURL("icon-512.png"), Sizes: "512x512", Type: "image/png"},
			{Src: h.views.AssetURL("icon-maskable-512.png"), Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
		},
	}
	if err := c.JSON(m); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	return nil
}
