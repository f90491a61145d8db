package imaging_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"
	"time"

	"forewarn/app/imaging"
)

// reencode calls imaging.Reencode and fails the test on error.
func reencode(t *testing.T, data []byte, lim imaging.Limits) imaging.Image {
	t.Helper()
	img, err := imaging.Reencode(data, lim)
	if err != nil {
		t.Fatalf("Reencode: %v", err)
	}
	return img
}

// decodeOutput decodes a re-encoded image with the decoder its content type
// names, checks its size against the reported one and that it carries no
// metadata.
func decodeOutput(t testing.TB, img imaging.Image) image.Image {
	t.Helper()
	var (
		m   image.Image
		err error
	)
	switch img.ContentType {
	case "image/jpeg":
		m, err = jpeg.Decode(bytes.NewReader(img.Data))
	case "image/png":
		m, err = png.Decode(bytes.NewReader(img.Data))
	default:
		t.Fatalf("content type %q", img.ContentType)
	}
	if err != nil {
		t.Fatalf("output does not decode as %s: %v", img.ContentType, err)
	}
	if b := m.Bounds(); b.Dx() != img.Width || b.Dy() != img.Height {
		t.Fatalf("output is %dx%d, reported %dx%d", b.Dx(), b.Dy(), img.Width, img.Height)
	}
	assertNoMetadata(t, img)
	return m
}

// assertNoMetadata checks the structure of the output: a JPEG has no APPn or
// COM segment, a PNG only critical chunks and tRNS.
func assertNoMetadata(t testing.TB, img imaging.Image) {
	t.Helper()
	d := img.Data
	for _, s := range []string{"Exif", "LEAKY", "ICC_PROFILE", "http://ns.adobe.com", "xmpmeta"} {
		if bytes.Contains(d, []byte(s)) {
			t.Errorf("output contains %q", s)
		}
	}
	switch img.ContentType {
	case "image/jpeg":
		for _, seg := range jpegMarkers(t, d) {
			if seg >= 0xE0 && seg <= 0xEF || seg == 0xFE {
				t.Errorf("output has JPEG segment FF %02X (APPn or COM)", seg)
			}
		}
	case "image/png":
		for _, c := range pngChunks(t, d) {
			switch c {
			case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
			default:
				t.Errorf("output has PNG chunk %q", c)
			}
		}
	}
}

// jpegMarkers lists the markers of a JPEG file up to the start of scan.
func jpegMarkers(t testing.TB, d []byte) []byte {
	t.Helper()
	if len(d) < 2 || d[0] != 0xFF || d[1] != 0xD8 {
		t.Fatalf("not a JPEG")
	}
	var markers []byte
	for i := 2; ; {
		if i+4 > len(d) || d[i] != 0xFF {
			t.Fatalf("malformed JPEG at %d", i)
		}
		m := d[i+1]
		markers = append(markers, m)
		if m == 0xDA {
			return markers
		}
		i += 2 + (int(d[i+2])<<8 | int(d[i+3]))
	}
}

// pngChunks lists the chunk types of a PNG file.
func pngChunks(t testing.TB, d []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(d, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG")
	}
	var chunks []string
	for i := 8; i < len(d); {
		if i+12 > len(d) {
			t.Fatalf("malformed PNG at %d", i)
		}
		n := int(binary.BigEndian.Uint32(d[i:]))
		chunks = append(chunks, string(d[i+4:i+8]))
		i += 12 + n
	}
	return chunks
}

// near reports whether two colours differ by at most 48 on each channel, to
// absorb JPEG losses.
func near(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return max(x, y)-min(x, y) <= 48<<8 }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

func TestJPEGMetadataIsRemoved(t *testing.T) {
	for _, bo := range []order{binary.LittleEndian, binary.BigEndian} {
		t.Run(bo.String(), func(t *testing.T) {
			src := insertAfterSOI(encodeJPEG(t, quadrants(40, 20)),
				exifAPP1(leakyEXIF(bo, 1)),
				jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>LEAKYXMP</x:xmpmeta>")),
				jpegSegment(0xE2, []byte("ICC_PROFILE\x00\x01\x01LEAKYICC")),
				jpegSegment(0xFE, []byte("LEAKYCOMMENT")),
			)
			if !bytes.Contains(src, []byte("LEAKYCAM")) {
				t.Fatal("fixture lacks its marker")
			}
			img := reencode(t, src, imaging.DefaultLimits)
			if img.ContentType != "image/jpeg" {
				t.Errorf("ContentType = %q, want image/jpeg", img.ContentType)
			}
			if img.Width != 40 || img.Height != 20 {
				t.Errorf("size = %dx%d, want 40x20", img.Width, img.Height)
			}
			if bytes.Contains(img.Data, []byte{0xFF, 0xE1}) {
				t.Error("output contains an APP1 marker")
			}
			decodeOutput(t, img)
		})
	}
}

func TestJPEGOrientation(t *testing.T) {
	// Quadrant colours of the upright output for each EXIF orientation of a
	// red|green over blue|white image: top-left, top-right, bottom-left,
	// bottom-right.
	want := map[uint16][4]color.NRGBA{
		1: {red, green, blue, white},
		2: {green, red, white, blue},
		3: {white, blue, green, red},
		4: {blue, white, red, green},
		5: {red, blue, green, white},
		6: {blue, red, white, green},
		7: {white, green, blue, red},
		8: {green, white, red, blue},
	}
	for _, bo := range []order{binary.LittleEndian, binary.BigEndian} {
		for o := uint16(1); o <= 8; o++ {
			t.Run(bo.String()+"/"+string(rune('0'+o)), func(t *testing.T) {
				img := reencode(t, orientedJPEG(t, quadrants(64, 32), bo, o), imaging.DefaultLimits)
				w, h := 64, 32
				if o >= 5 {
					w, h = 32, 64
				}
				if img.Width != w || img.Height != h {
					t.Fatalf("size = %dx%d, want %dx%d", img.Width, img.Height, w, h)
				}
				m := decodeOutput(t, img)
				got := [4]color.Color{
					m.At(w/4, h/4), m.At(3*w/4, h/4), m.At(w/4, 3*h/4), m.At(3*w/4, 3*h/4),
				}
				for i := range got {
					if !near(got[i], want[o][i]) {
						t.Errorf("quadrant %d = %v, want %v", i, got[i], want[o][i])
					}
				}
			})
		}
	}
}

func TestJPEGOrientation6Turns40x20Into20x40(t *testing.T) {
	img := reencode(t, orientedJPEG(t, quadrants(40, 20), binary.BigEndian, 6), imaging.DefaultLimits)
	if img.Width != 20 || img.Height != 40 {
		t.Fatalf("size = %dx%d, want 20x40", img.Width, img.Height)
	}
	decodeOutput(t, img)
}

func TestJPEGOrientationAfterScaling(t *testing.T) {
	src := orientedJPEG(t, quadrants(400, 200), binary.LittleEndian, 6)
	img := reencode(t, src, imaging.Limits{MaxSide: 100})
	if img.Width != 50 || img.Height != 100 {
		t.Fatalf("size = %dx%d, want 50x100", img.Width, img.Height)
	}
	m := decodeOutput(t, img)
	if c := m.At(12, 25); !near(c, blue) {
		t.Errorf("top-left = %v, want blue", c)
	}
}

func TestJPEGMalformedEXIFIsIgnored(t *testing.T) {
	le := binary.LittleEndian
	orientation := func(typ uint16, count uint32, v []byte) []byte {
		return tiff(le, []ifdEntry{{tag: 0x0112, typ: typ, count: count, value: v}}, nil)
	}
	valid := orientation(3, 1, le.AppendUint16(nil, 6))
	tooManyEntries := tiff(le, []ifdEntry{asciiEntry(0x010F, "LEAKYCAM")}, nil)
	le.PutUint16(tooManyEntries[8:], 0xFFFF)
	cases := map[string][]byte{
		"empty TIFF":         nil,
		"short TIFF":         []byte("II*\x00"),
		"bad byte order":     append([]byte("XX"), valid[2:]...),
		"bad magic":          append([]byte("II+\x00"), valid[4:]...),
		"IFD beyond end":     append([]byte("II*\x00\xf0\xff\xff\xff"), valid[8:]...),
		"IFD at last byte":   append([]byte("II*\x00"), le.AppendUint32(nil, uint32(len(valid)-1))...),
		"too many entries":   tooManyEntries,
		"truncated entry":    valid[:15],
		"orientation 0":      orientation(3, 1, le.AppendUint16(nil, 0)),
		"orientation 9":      orientation(3, 1, le.AppendUint16(nil, 9)),
		"orientation 0xFFFF": orientation(3, 1, le.AppendUint16(nil, 0xFFFF)),
		"ASCII orientation":  orientation(2, 2, []byte("6\x00")),
		"two orientations":   orientation(3, 2, le.AppendUint16(le.AppendUint16(nil, 6), 6)),
		"huge LONG":          orientation(4, 1, le.AppendUint32(nil, 1<<32-1)),
	}
	for name, tf := range cases {
		t.Run(name, func(t *testing.T) {
			src := insertAfterSOI(encodeJPEG(t, quadrants(40, 20)), exifAPP1(tf))
			img := reencode(t, src, imaging.DefaultLimits)
			if img.Width != 40 || img.Height != 20 {
				t.Errorf("size = %dx%d, want 40x20 (orientation ignored)", img.Width, img.Height)
			}
			decodeOutput(t, img)
		})
	}
}

func TestJPEGOrientationEdgeCases(t *testing.T) {
	le := binary.LittleEndian
	base := encodeJPEG(t, quadrants(40, 20))
	cases := []struct {
		name string
		src  []byte
		w, h int
	}{
		{"LONG value", insertAfterSOI(base, exifAPP1(tiff(le, []ifdEntry{{tag: 0x0112, typ: 4, count: 1, value: le.AppendUint32(nil, 6)}}, nil))), 20, 40},
		{"fill bytes before APP1", insertAfterSOI(base, []byte{0xFF, 0xFF}, exifAPP1(tiff(le, []ifdEntry{shortEntry(le, 0x0112, 8)}, nil))), 20, 40},
		{"after other segments", insertAfterSOI(base, jpegSegment(0xE0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00")), jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00")), exifAPP1(tiff(le, []ifdEntry{shortEntry(le, 0x0112, 6)}, nil))), 20, 40},
		{"EXIF after the image data is ignored", append(append([]byte{}, base[:len(base)-2]...), append(exifAPP1(tiff(le, []ifdEntry{shortEntry(le, 0x0112, 6)}, nil)), 0xFF, 0xD9)...), 40, 20},
		{"tag after other tags", insertAfterSOI(base, exifAPP1(tiff(le, []ifdEntry{asciiEntry(0x010F, "x"), asciiEntry(0x0110, "long model name"), shortEntry(le, 0x0112, 5)}, nil))), 20, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := imaging.Reencode(c.src, imaging.DefaultLimits)
			if err != nil {
				t.Fatalf("Reencode: %v", err)
			}
			if img.Width != c.w || img.Height != c.h {
				t.Errorf("size = %dx%d, want %dx%d", img.Width, img.Height, c.w, c.h)
			}
		})
	}
}

func TestPNGTextChunksAreRemoved(t *testing.T) {
	src := insertAfterIHDR(encodePNG(t, quadrants(30, 10)),
		pngChunk("tEXt", []byte("Comment\x00LEAKYTEXT")),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>LEAKYXMP</x:xmpmeta>")),
		pngChunk("eXIf", leakyEXIF(binary.BigEndian, 6)),
		pngChunk("tIME", []byte{0x07, 0xE9, 1, 2, 3, 4, 5}),
	)
	if !bytes.Contains(src, []byte("LEAKYTEXT")) {
		t.Fatal("fixture lacks its marker")
	}
	img := reencode(t, src, imaging.DefaultLimits)
	if img.ContentType != "image/png" {
		t.Errorf("ContentType = %q, want image/png", img.ContentType)
	}
	if img.Width != 30 || img.Height != 10 {
		t.Errorf("size = %dx%d, want 30x10 (eXIf orientation is not applied to PNG)", img.Width, img.Height)
	}
	if bytes.Contains(img.Data, []byte("tEXt")) || bytes.Contains(img.Data, []byte("iTXt")) {
		t.Error("output contains a text chunk")
	}
	m := decodeOutput(t, img)
	if c := m.At(25, 2); !near(c, green) {
		t.Errorf("pixel (25,2) = %v, want green", c)
	}
}

func TestWebPBecomesPNG(t *testing.T) {
	colour := color.NRGBA{R: 200, G: 100, B: 50, A: 255}
	for name, src := range map[string][]byte{
		"simple 1x1":     webpSolid(1, 1, colour),
		"simple 7x3":     webpSolid(7, 3, colour),
		"extended 5x4":   webpExtended(5, 4, colour),
		"with alpha 2x2": webpSolid(2, 2, color.NRGBA{R: 10, G: 20, B: 30, A: 128}),
	} {
		t.Run(name, func(t *testing.T) {
			img := reencode(t, src, imaging.DefaultLimits)
			if img.ContentType != "image/png" {
				t.Errorf("ContentType = %q, want image/png", img.ContentType)
			}
			m := decodeOutput(t, img)
			want := color.NRGBAModel.Convert(m.At(0, 0)).(color.NRGBA)
			switch name {
			case "with alpha 2x2":
				if want != (color.NRGBA{R: 10, G: 20, B: 30, A: 128}) {
					t.Errorf("pixel = %v", want)
				}
			default:
				if want != colour {
					t.Errorf("pixel = %v, want %v", want, colour)
				}
			}
		})
	}
}

func TestTypeComesFromContent(t *testing.T) {
	// The API takes only bytes: a PNG uploaded as "ad.jpg" with
	// Content-Type image/jpeg is still a PNG, and the reverse.
	pngAsJPEG := encodePNG(t, quadrants(8, 8))
	if img := reencode(t, pngAsJPEG, imaging.DefaultLimits); img.ContentType != "image/png" {
		t.Errorf("PNG bytes: ContentType = %q, want image/png", img.ContentType)
	}
	jpegAsPNG := encodeJPEG(t, quadrants(8, 8))
	if img := reencode(t, jpegAsPNG, imaging.DefaultLimits); img.ContentType != "image/jpeg" {
		t.Errorf("JPEG bytes: ContentType = %q, want image/jpeg", img.ContentType)
	}
}

func TestRefusedFiles(t *testing.T) {
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, quadrants(8, 8), nil); err != nil {
		t.Fatalf("encode gif: %v", err)
	}
	pngData := encodePNG(t, stripes(64, 64))
	jpegData := encodeJPEG(t, stripes(64, 64))
	sof := bytes.Index(jpegData, []byte{0xFF, 0xC0})
	zeroWidthJPEG := append([]byte{}, jpegData...)
	zeroWidthJPEG[sof+7], zeroWidthJPEG[sof+8] = 0, 0

	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"nil", nil, imaging.ErrUnsupportedType},
		{"empty", []byte{}, imaging.ErrUnsupportedType},
		{"plain text", []byte("just some text, honest"), imaging.ErrUnsupportedType},
		{"HTML", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), imaging.ErrUnsupportedType},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), imaging.ErrUnsupportedType},
		{"GIF", gifData.Bytes(), imaging.ErrUnsupportedType},
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), imaging.ErrUnsupportedType},
		{"HTML then PNG", append([]byte("<html>"), pngData...), imaging.ErrUnsupportedType},
		{"BOM then PNG", append([]byte("\xef\xbb\xbf"), pngData...), imaging.ErrUnsupportedType},
		{"RIFF WAVE", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), imaging.ErrUnsupportedType},
		{"two JPEG magic bytes", []byte{0xFF, 0xD8}, imaging.ErrUnsupportedType},
		{"PNG signature cut", pngData[:7], imaging.ErrUnsupportedType},
		{"JPEG magic then garbage", append([]byte{0xFF, 0xD8, 0xFF}, []byte("this is not a JPEG at all")...), imaging.ErrCorrupt},
		{"JPEG magic alone", []byte{0xFF, 0xD8, 0xFF}, imaging.ErrCorrupt},
		{"truncated JPEG", jpegData[:len(jpegData)/2], imaging.ErrCorrupt},
		{"zero-width JPEG", zeroWidthJPEG, imaging.ErrCorrupt},
		{"PNG signature alone", pngData[:8], imaging.ErrCorrupt},
		{"truncated PNG", pngData[:len(pngData)/2], imaging.ErrCorrupt},
		{"zero-sized PNG", bombPNG(t, 0, 0), imaging.ErrCorrupt},
		{"PNG with bad IHDR CRC", append(append(append([]byte{}, pngData[:29]...), 0, 0, 0, 0), pngData[33:]...), imaging.ErrCorrupt},
		{"RIFF WEBP garbage", []byte("RIFF\x10\x00\x00\x00WEBPgarbage!"), imaging.ErrCorrupt},
		{"truncated WebP", webpSolid(4, 4, red)[:20], imaging.ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := imaging.Reencode(c.data, imaging.DefaultLimits)
			if !errors.Is(err, c.want) {
				t.Fatalf("Reencode = (%d bytes, %v), want %v", len(img.Data), err, c.want)
			}
			if img.Data != nil {
				t.Errorf("error came with %d bytes of data", len(img.Data))
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	small := encodePNG(t, quadrants(8, 8))
	lim := imaging.Limits{MaxBytes: int64(len(small))}
	if _, err := imaging.Reencode(small, lim); err != nil {
		t.Fatalf("file of exactly MaxBytes: %v", err)
	}
	if _, err := imaging.Reencode(append(small, 0), lim); !errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("MaxBytes+1: err = %v, want ErrTooLarge", err)
	}

	big := make([]byte, imaging.DefaultLimits.MaxBytes+1)
	copy(big, small) // a real PNG start: the size check must come first
	if _, err := imaging.Reencode(big, imaging.DefaultLimits); !errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("DefaultLimits.MaxBytes+1: err = %v, want ErrTooLarge", err)
	}
	if _, err := imaging.Reencode(big, imaging.Limits{}); !errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("zero Limits: err = %v, want ErrTooLarge from the defaults", err)
	}
}

func TestDecompressionBombs(t *testing.T) {
	jpegBomb := encodeJPEG(t, quadrants(16, 16))
	sof := bytes.Index(jpegBomb, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(jpegBomb[sof+5:], 60000) // height
	binary.BigEndian.PutUint16(jpegBomb[sof+7:], 60000) // width

	cases := map[string][]byte{
		"PNG 60000x60000":      bombPNG(t, 60000, 60000),
		"PNG 1x2147483647":     bombPNG(t, 1, 1<<31-1),
		"JPEG 60000x60000":     jpegBomb,
		"WebP 16384x16384":     webpSolid(16384, 16384, red),
		"WebP VP8X 16384x8192": webpExtended(16384, 8192, red),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if len(data) > 1024 {
				t.Fatalf("bomb is %d bytes, want a tiny file", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := imaging.Reencode(data, imaging.DefaultLimits)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, imaging.ErrTooManyPixels) {
				t.Fatalf("err = %v, want ErrTooManyPixels", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 50<<20 {
				t.Errorf("allocated %d MiB refusing a bomb", alloc>>20)
			}
			if elapsed > 2*time.Second {
				t.Errorf("took %v refusing a bomb", elapsed)
			}
		})
	}
}

func TestMaxPixelsBoundary(t *testing.T) {
	lim := imaging.Limits{MaxPixels: 100}
	if _, err := imaging.Reencode(encodePNG(t, quadrants(10, 10)), lim); err != nil {
		t.Errorf("10x10 with MaxPixels 100: %v", err)
	}
	if _, err := imaging.Reencode(encodePNG(t, quadrants(10, 11)), lim); !errors.Is(err, imaging.ErrTooManyPixels) {
		t.Errorf("10x11 with MaxPixels 100: err = %v, want ErrTooManyPixels", err)
	}
}

func TestScaling(t *testing.T) {
	t.Run("4000x1000 default", func(t *testing.T) {
		img := reencode(t, encodePNG(t, stripes(4000, 1000)), imaging.DefaultLimits)
		if img.Width != 2048 || img.Height != 512 {
			t.Fatalf("size = %dx%d, want 2048x512", img.Width, img.Height)
		}
		decodeOutput(t, img)
	})

	cases := []struct {
		name       string
		src        []byte
		wantW      int
		wantH      int
		wantFormat string
	}{
		{"landscape PNG", encodePNG(t, quadrants(300, 30)), 100, 10, "image/png"},
		{"portrait PNG", encodePNG(t, quadrants(30, 300)), 10, 100, "image/png"},
		{"landscape JPEG", encodeJPEG(t, quadrants(400, 100)), 100, 25, "image/jpeg"},
		{"rounding", encodePNG(t, quadrants(301, 100)), 100, 33, "image/png"},
		{"thin line stays 1 px", encodePNG(t, quadrants(1000, 1)), 100, 1, "image/png"},
		{"exactly MaxSide", encodePNG(t, quadrants(100, 100)), 100, 100, "image/png"},
		{"small is not enlarged", encodePNG(t, quadrants(50, 20)), 50, 20, "image/png"},
		{"WebP", webpSolid(200, 50, blue), 100, 25, "image/png"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := reencode(t, c.src, imaging.Limits{MaxSide: 100})
			if img.Width != c.wantW || img.Height != c.wantH || img.ContentType != c.wantFormat {
				t.Fatalf("got %dx%d %s, want %dx%d %s", img.Width, img.Height, img.ContentType, c.wantW, c.wantH, c.wantFormat)
			}
			decodeOutput(t, img)
		})
	}
}

func TestPNGTransparencyIsKept(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for i := range m.Pix {
		m.Pix[i] = 0 // fully transparent
	}
	for _, lim := range []imaging.Limits{imaging.DefaultLimits, {MaxSide: 50}} {
		img := reencode(t, encodePNG(t, m), lim)
		out := decodeOutput(t, img)
		if _, _, _, a := out.At(img.Width/2, img.Height/2).RGBA(); a != 0 {
			t.Errorf("MaxSide %d: alpha = %d, want 0", lim.MaxSide, a)
		}
	}
}
