// Package qrsvg draws QR codes as small inline SVG documents, made on the
// server: no script, no style attribute, no request to a third party.
package qrsvg

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	qr "github.com/piglig/go-qr"
)

// quiet is the margin around the symbol in modules, as the QR standard asks.
const quiet = 4

// SVG returns text as a QR code (error correction level M) in one SVG
// element: a white square and one black <path> of horizontal runs of dark
// modules, one unit per module, drawn with presentation attributes only (a
// strict Content-Security-Policy forbids style attributes). label names
// the image for assistive technologies. The same text always gives the
// same bytes.
func SVG(text, label string) (template.HTML, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code of %q: %w", text, err)
	}
	n := code.Size()
	full := strconv.Itoa(n + 2*quiet)
	var b strings.Builder
	b.Grow(64 * n)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + full + ` ` + full + `" role="img" aria-label="`)
	b.WriteString(template.HTMLEscapeString(label))
	b.WriteString(`" shape-rendering="crispEdges"><rect width="` + full + `" height="` + full + `" fill="#fff"/><path fill="#000" d="`)
	b.WriteString(Path(code.Size(), code.Module))
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}

// Path is the SVG path data of the dark modules of a size×size symbol
// (module(x, y) reports a dark one), shifted by the quiet zone: one
// "M x y h w v1 h -w z" rectangle per horizontal run.
func Path(size int, module func(x, y int) bool) string {
	var b strings.Builder
	for y := range size {
		for x := 0; x < size; {
			if !module(x, y) {
				x++
				continue
			}
			start := x
			for x < size && module(x, y) {
				x++
			}
			w := strconv.Itoa(x - start)
			b.WriteString("M" + strconv.Itoa(start+quiet) + " " + strconv.Itoa(y+quiet) + "h" + w + "v1h-" + w + "z")
		}
	}
	return b.String()
}
