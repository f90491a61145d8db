package qrsvg

import (
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
)

// TestSVGDrawsTheSymbol parses the path back into modules and compares
// them with the encoder's matrix: the drawing is the code, module for
// module, inside a quiet zone of four.
func TestSVGDrawsTheSymbol(t *testing.T) {
	const link = "https://forewarn.example/w/12345"
	svg, err := SVG(link, "QR <code>")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := SVG(link, "QR <code>")
	if svg != again {
		t.Fatal("the same text gave two drawings")
	}
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Label   string   `xml:"aria-label,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	if doc.Label != "QR <code>" {
		t.Errorf("label %q", doc.Label)
	}
	if strings.Contains(string(svg), "style=") {
		t.Error("style attribute in the SVG: the CSP forbids it")
	}
	code, _ := qr.EncodeText(link, qr.Medium)
	n := code.Size()
	if want := "0 0 " + strconv.Itoa(n+8) + " " + strconv.Itoa(n+8); doc.ViewBox != want {
		t.Errorf("viewBox %q, want %q", doc.ViewBox, want)
	}
	drawn := make([][]bool, n)
	for i := range drawn {
		drawn[i] = make([]bool, n)
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	d := doc.Path.D
	for d != "" {
		m := run.FindStringSubmatch(d)
		if m == nil || m[3] != m[4] {
			t.Fatalf("unreadable path at %q", d)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := range w {
			drawn[y-4][x-4+i] = true
		}
		d = d[len(m[0]):]
	}
	for y := range n {
		for x := range n {
			if drawn[y][x] != code.Module(x, y) {
				t.Fatalf("module (%d, %d) drawn %v, encoded %v", x, y, drawn[y][x], code.Module(x, y))
			}
		}
	}
}

// TestSVGTooLong: text beyond a QR code's capacity is an error, not a
// broken image.
func TestSVGTooLong(t *testing.T) {
	if _, err := SVG(strings.Repeat("x", 5000), "QR"); err == nil {
		t.Fatal("no error for 5000 bytes")
	}
}
