package imaging

import (
	"encoding/binary"
	"fmt"
)

// footprint is what decoding an image will cost, read from its header alone.
type footprint struct {
	width, height int
	// bits is how many bits per pixel the decoder holds at its peak: the
	// decoded form (e.g. 64 for a 16-bit RGBA PNG, 12 for a 4:2:0 JPEG) and
	// the buffers it keeps beside it (a progressive JPEG's coefficients, the
	// passes of an interlaced PNG, a lossless WebP's transform copy).
	bits int
}

// decoderState is what a decoder allocates whatever the image size: the
// inflate window and tables of PNG, the Huffman tables of JPEG and WebP,
// read buffers.
const decoderState = 256 << 10

// bytes returns the memory the decoder needs, rounded up, with the
// dimensions padded to whole 16-pixel blocks as JPEG and WebP decoders
// allocate them.
func (f footprint) bytes() int64 {
	w, h := int64(f.width)+16, int64(f.height)+16
	return (w*h*int64(f.bits)+7)/8 + decoderState
}

// readFootprint reads the dimensions and pixel format that data (of format
// f) declares, without decoding anything: the PNG IHDR chunk and the
// chunks before the image data, the JPEG frame header (SOF), the WebP
// chunk list. Malformed headers are ErrCorrupt.
func readFootprint(f *format, data []byte) (footprint, error) {
	var (
		fp footprint
		ok bool
	)
	switch f.name {
	case "png":
		fp, ok = pngFootprint(data)
	case "jpeg":
		fp, ok = jpegFootprint(data)
	case "webp":
		fp, ok = webpFootprint(data)
	}
	if !ok {
		return footprint{}, fmt.Errorf("imaging: reading %s header: %w", f.name, ErrCorrupt)
	}
	return fp, nil
}

// pngFootprint reads IHDR, then walks the chunks before the first IDAT to
// learn whether a tRNS chunk makes Go's decoder produce an image with
// alpha. The decoded forms are those of image/png: Paletted (8 bits), Gray
// (8), Gray16 (16), RGBA or NRGBA (32), RGBA64 or NRGBA64 (64). An
// interlaced image is decoded pass by pass beside the full image: twice the
// memory, to stay on the safe side.
func pngFootprint(d []byte) (footprint, bool) {
	be := binary.BigEndian
	if len(d) < 33 || be.Uint32(d[8:]) != 13 || string(d[12:16]) != "IHDR" {
		return footprint{}, false
	}
	w, h := be.Uint32(d[16:]), be.Uint32(d[20:])
	depth, colour, interlace := d[24], d[25], d[28]
	if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 {
		return footprint{}, false
	}
	transparent := false
	for i := 33; i+8 <= len(d); {
		n, typ := be.Uint32(d[i:]), string(d[i+4:i+8])
		if typ == "IDAT" {
			break
		}
		if typ == "tRNS" {
			transparent = true
		}
		if uint64(n) > uint64(len(d)) {
			break
		}
		i += 12 + int(n)
	}
	var bits int
	switch {
	case colour == 3: // palette, any depth
		bits = 8
	case depth == 16 && colour == 0 && !transparent:
		bits = 16
	case depth == 16:
		bits = 64
	case colour == 0 && !transparent:
		bits = 8
	default: // RGB, grey with alpha, RGBA, or grey with tRNS: 8 bits a sample
		bits = 32
	}
	if interlace != 0 {
		bits *= 2
	}
	return footprint{width: int(w), height: int(h), bits: bits}, true
}

// jpegFootprint reads the first frame header (SOF). image/jpeg keeps each
// component at its own sampling (a 4:2:0 colour image is 12 bits a pixel),
// adds a CMYK copy for four-component images, and for a progressive image
// 32 bits of coefficients for every sample.
func jpegFootprint(d []byte) (footprint, bool) {
	if len(d) < 4 || d[0] != 0xFF || d[1] != markerSOI {
		return footprint{}, false
	}
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xFF {
			return footprint{}, false
		}
		m := d[i+1]
		switch {
		case m == 0xFF:
			i++
			continue
		case m == markerSOI || m == markerTEM || (m >= markerRST0 && m <= markerRST7):
			i += 2
			continue
		case m == markerSOS || m == markerEOI:
			return footprint{}, false // image data before any frame header
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 || i+2+n > len(d) {
			return footprint{}, false
		}
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			return sofFootprint(m, d[i+4:i+2+n])
		}
		i += 2 + n
	}
	return footprint{}, false
}

// sofFootprint reads the payload of a SOF segment with marker m.
func sofFootprint(m byte, p []byte) (footprint, bool) {
	if len(p) < 6 {
		return footprint{}, false
	}
	h, w, comps := int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:])), int(p[5])
	if w == 0 || h == 0 || comps == 0 || len(p) < 6+3*comps {
		return footprint{}, false
	}
	hmax, vmax := 1, 1
	for c := range comps {
		hv := p[6+3*c+1]
		hmax, vmax = max(hmax, int(hv>>4)), max(vmax, int(hv&15))
	}
	// Samples per pixel in eighths: the first component is kept at full
	// size, the others at their sampling, never less than 1/16.
	eighths := 8
	for c := 1; c < comps; c++ {
		hv := p[6+3*c+1]
		eighths += max(8*int(hv>>4)*int(hv&15)/(hmax*vmax), 1)
	}
	bits := eighths // 8 bits a sample
	if comps == 4 {
		bits += 32 // the CMYK image made at the end
	}
	if m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE { // progressive
		bits += 4 * eighths
	}
	return footprint{width: w, height: h, bits: bits}, true
}

// webpFootprint walks the chunks of a WebP file. x/image/webp decodes a
// lossy image (VP8) to 4:2:0 YCbCr, 12 bits a pixel; its alpha (ALPH),
// when compressed, through a lossless decode of 32 bits a pixel and its
// transform copy; a lossless image (VP8L) to NRGBA, with a copy made by
// its colour-indexing transform: 64 bits.
func webpFootprint(d []byte) (footprint, bool) {
	le := binary.LittleEndian
	var w, h int
	var vp8, vp8l, alph bool
	for i := 12; i+8 <= len(d); {
		typ, n := string(d[i:i+4]), int(le.Uint32(d[i+4:]))
		body := d[i+8:]
		switch typ {
		case "VP8X":
			if len(body) < 10 {
				return footprint{}, false
			}
			w = 1 + int(uint32(body[4])|uint32(body[5])<<8|uint32(body[6])<<16)
			h = 1 + int(uint32(body[7])|uint32(body[8])<<8|uint32(body[9])<<16)
		case "VP8 ":
			vp8 = true
			if w == 0 && len(body) >= 10 {
				w, h = int(le.Uint16(body[6:])&0x3fff), int(le.Uint16(body[8:])&0x3fff)
			}
		case "VP8L":
			vp8l = true
			if w == 0 && len(body) >= 5 {
				bits := le.Uint32(body[1:])
				w, h = 1+int(bits&0x3fff), 1+int(bits>>14&0x3fff)
			}
		case "ALPH":
			alph = true
		}
		if vp8 || vp8l || n < 0 || n > len(d) {
			break
		}
		i += 8 + n + n&1
	}
	if w <= 0 || h <= 0 || !(vp8 || vp8l) {
		return footprint{}, false
	}
	bits := 12
	switch {
	case vp8l:
		bits = 64
	case alph:
		bits = 12 + 8 + 64
	}
	return footprint{width: w, height: h, bits: bits}, true
}

// copyBytes is the memory of the copies made after decoding: the RGBA image
// scaled down to maxSide, and for a JPEG with an EXIF orientation the
// turned RGBA image (with an RGBA copy of the source when it was not
// scaled).
func copyBytes(f *format, data []byte, fp footprint, maxSide int) int64 {
	w, h := int64(fp.width), int64(fp.height)
	scaled := w > int64(maxSide) || h > int64(maxSide)
	if scaled {
		if w >= h {
			w, h = int64(maxSide), max(h*int64(maxSide)/w, 1)+1
		} else {
			w, h = max(w*int64(maxSide)/h, 1)+1, int64(maxSide)
		}
	}
	copies := int64(0)
	if scaled {
		copies++
	}
	if f.exifOrientation && jpegOrientation(data) >= 2 {
		copies++ // the turned image
		if !scaled {
			copies++ // the RGBA copy of the source
		}
	}
	return copies * 4 * w * h
}
