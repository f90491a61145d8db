// Package locales embeds the interface message files, one TOML file per
// shipped language, English (en.toml) being the source.
package locales

import "embed"

// FS holds the *.toml message files.
//
//go:embed *.toml
var FS embed.FS
