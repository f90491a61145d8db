// Package static embeds the CSS, JavaScript and icons served under /static
// (and the service worker, also served at /sw.js).
package static

import "embed"

// FS holds the static assets.
//
//go:embed *.css *.js *.svg *.png
var FS embed.FS
