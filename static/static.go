// Package static embeds the CSS, JavaScript and icons served under /static.
package static

import "embed"

// FS holds the static assets.
//
//go:embed *.css *.js *.svg
var FS embed.FS
