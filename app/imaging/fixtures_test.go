package imaging_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Fixtures are built in code: small images, hand-made EXIF segments, PNG
// chunks and a minimal lossless WebP encoder for solid colours.

var (
	red   = color.NRGBA{R: 255, A: 255}
	green = color.NRGBA{G: 255, A: 255}
	blue  = color.NRGBA{B: 255, A: 255}
	white = color.NRGBA{R: 255, G: 255, B: 255, A: 255}
)

// quadrants returns a w×h image whose top-left, top-right, bottom-left and
// bottom-right quarters are red, green, blue and white.
func quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// stripes returns a w×h image of 8-pixel vertical stripes, quick to encode.
func stripes(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			if x/8%2 == 1 {
				c = blue
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatalf("encode jpeg fixture: %v", err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, m); err != nil {
		t.Fatalf("encode png fixture: %v", err)
	}
	return buf.Bytes()
}

// --- JPEG segments and EXIF ---

// jpegSegment returns a marker segment with its length field.
func jpegSegment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

// insertAfterSOI puts segments right after the SOI marker of jpg.
func insertAfterSOI(jpg []byte, segments ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// exifAPP1 wraps a TIFF structure in an EXIF APP1 segment.
func exifAPP1(tiff []byte) []byte {
	return jpegSegment(0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// order is a byte order that can also append, as binary.LittleEndian and
// binary.BigEndian do.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// ifdEntry is one TIFF directory entry; value holds the raw value bytes,
// already in the file's byte order.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

// tiff builds a TIFF structure holding ifd0 and, when gps is not empty, a
// GPS IFD linked from IFD0 by the GPSInfo tag.
func tiff(bo order, ifd0, gps []ifdEntry) []byte {
	if len(gps) > 0 {
		ifd0 = append(ifd0, ifdEntry{tag: 0x8825, typ: 4, count: 1}) // offset filled below
	}
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	ifd0Off := 8
	gpsOff := ifd0Off + ifdSize(len(ifd0))
	dataOff := gpsOff
	if len(gps) > 0 {
		dataOff += ifdSize(len(gps))
		ifd0[len(ifd0)-1].value = bo.AppendUint32(nil, uint32(gpsOff))
	}

	var head, data []byte
	if bo == order(binary.LittleEndian) {
		head = []byte("II")
	} else {
		head = []byte("MM")
	}
	head = bo.AppendUint16(head, 42)
	head = bo.AppendUint32(head, uint32(ifd0Off))
	writeIFD := func(entries []ifdEntry) {
		head = bo.AppendUint16(head, uint16(len(entries)))
		for _, e := range entries {
			head = bo.AppendUint16(head, e.tag)
			head = bo.AppendUint16(head, e.typ)
			head = bo.AppendUint32(head, e.count)
			if len(e.value) <= 4 {
				v := make([]byte, 4)
				copy(v, e.value)
				head = append(head, v...)
				continue
			}
			head = bo.AppendUint32(head, uint32(dataOff+len(data)))
			data = append(data, e.value...)
			if len(data)%2 == 1 {
				data = append(data, 0)
			}
		}
		head = bo.AppendUint32(head, 0) // no next IFD
	}
	writeIFD(ifd0)
	if len(gps) > 0 {
		writeIFD(gps)
	}
	return append(head, data...)
}

func asciiEntry(tag uint16, s string) ifdEntry {
	return ifdEntry{tag: tag, typ: 2, count: uint32(len(s) + 1), value: append([]byte(s), 0)}
}

func shortEntry(bo order, tag, v uint16) ifdEntry {
	return ifdEntry{tag: tag, typ: 3, count: 1, value: bo.AppendUint16(nil, v)}
}

func rationalEntry(bo order, tag uint16, pairs ...uint32) ifdEntry {
	var v []byte
	for _, p := range pairs {
		v = bo.AppendUint32(v, p)
	}
	return ifdEntry{tag: tag, typ: 5, count: uint32(len(pairs) / 2), value: v}
}

// leakyEXIF is a TIFF structure with a camera make, an orientation and a
// full GPS position: everything that must never reach the stored file.
func leakyEXIF(bo order, orientation uint16) []byte {
	ifd0 := []ifdEntry{
		asciiEntry(0x010F, "LEAKYCAM"),
		asciiEntry(0x0110, "LEAKYMODEL 3000"),
		shortEntry(bo, 0x0112, orientation),
	}
	gps := []ifdEntry{
		asciiEntry(0x0001, "N"),
		rationalEntry(bo, 0x0002, 48, 1, 51, 1, 2959, 100),
		asciiEntry(0x0003, "E"),
		rationalEntry(bo, 0x0004, 2, 1, 17, 1, 4012, 100),
	}
	return tiff(bo, ifd0, gps)
}

// orientedJPEG returns a JPEG of m carrying only an EXIF orientation.
func orientedJPEG(t testing.TB, m image.Image, bo order, orientation uint16) []byte {
	t.Helper()
	ifd := tiff(bo, []ifdEntry{shortEntry(bo, 0x0112, orientation)}, nil)
	return insertAfterSOI(encodeJPEG(t, m), exifAPP1(ifd))
}

// --- PNG chunks ---

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// insertAfterIHDR puts chunks right after the IHDR chunk of p.
func insertAfterIHDR(p []byte, chunks ...[]byte) []byte {
	const end = 8 + 8 + 13 + 4 // signature, IHDR header, data, CRC
	out := append([]byte{}, p[:end]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[end:]...)
}

// bombPNG is a tiny PNG whose IHDR declares w×h 8-bit RGBA pixels.
func bombPNG(t testing.TB, w, h uint32) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // depth, RGBA, deflate, filter, no interlace
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(make([]byte, 64)); err != nil {
		t.Fatalf("compress idat: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("compress idat: %v", err)
	}
	p := []byte("\x89PNG\r\n\x1a\n")
	p = append(p, pngChunk("IHDR", ihdr)...)
	p = append(p, pngChunk("IDAT", z.Bytes())...)
	return append(p, pngChunk("IEND", nil)...)
}

// --- WebP ---

// bitWriter writes the least significant bit first, as VP8L wants.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (b *bitWriter) write(v uint64, n uint) {
	b.acc |= v << b.n
	b.n += n
	for b.n >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.n > 0 {
		return append(b.buf, byte(b.acc))
	}
	return b.buf
}

// vp8lSolid is a lossless VP8L bitstream of a w×h image in colour c: every
// prefix code has a single symbol, so the pixels take no bits at all.
func vp8lSolid(w, h int, c color.NRGBA) []byte {
	var b bitWriter
	b.write(0x2f, 8) // signature
	b.write(uint64(w-1), 14)
	b.write(uint64(h-1), 14)
	b.write(1, 1)                                        // alpha is used
	b.write(0, 3)                                        // version
	b.write(0, 1)                                        // no transform
	b.write(0, 1)                                        // no colour cache
	b.write(0, 1)                                        // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} { // green, red, blue, alpha, distance
		b.write(1, 1) // simple code
		b.write(0, 1) // one symbol
		if sym < 2 {
			b.write(0, 1)
			b.write(uint64(sym), 1)
		} else {
			b.write(1, 1)
			b.write(uint64(sym), 8)
		}
	}
	return b.bytes()
}

func riffChunk(fourcc string, data []byte) []byte {
	c := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

func webpFile(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// webpSolid is a simple-format lossless WebP of a w×h image in colour c.
func webpSolid(w, h int, c color.NRGBA) []byte {
	return webpFile(riffChunk("VP8L", vp8lSolid(w, h, c)))
}

// webpExtended is an extended-format WebP whose ICC profile and EXIF chunks
// carry markers that must not survive.
func webpExtended(w, h int, c color.NRGBA) []byte {
	vp8x := []byte{0x20 | 0x08, 0, 0, 0} // ICC and EXIF flags, reserved
	vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	vp8x = append(vp8x, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	return webpFile(
		riffChunk("VP8X", vp8x),
		riffChunk("ICCP", []byte("LEAKYICC profile")),
		riffChunk("VP8L", vp8lSolid(w, h, c)),
		riffChunk("EXIF", append([]byte("Exif\x00\x00"), leakyEXIF(binary.LittleEndian, 1)...)),
	)
}
