package imaging

import (
	"bytes"
	"encoding/binary"
)

// JPEG markers used while looking for the EXIF segment.
const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerAPP1 = 0xE1
	markerTEM  = 0x01
	markerRST0 = 0xD0
	markerRST7 = 0xD7
)

// tagOrientation is the TIFF tag of the EXIF Orientation in IFD0.
const tagOrientation = 0x0112

var exifHeader = []byte("Exif\x00\x00")

// jpegOrientation returns the EXIF Orientation (1 to 8) of the JPEG file in
// data, or 1 when there is none or it cannot be read. Only the first EXIF
// APP1 segment before the image data is read; malformed data never panics.
func jpegOrientation(data []byte) int {
	if len(data) < 2 || data[0] != 0xFF || data[1] != markerSOI {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == markerSOI || marker == markerTEM || (marker >= markerRST0 && marker <= markerRST7):
			i += 2 // markers without a payload
			continue
		case marker == markerSOS || marker == markerEOI:
			return 1
		}
		n := int(data[i+2])<<8 | int(data[i+3]) // includes the two length bytes
		if n < 2 || n > len(data)-i-2 {
			return 1
		}
		if seg := data[i+4 : i+2+n]; marker == markerAPP1 && bytes.HasPrefix(seg, exifHeader) {
			return tiffOrientation(seg[len(exifHeader):])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the Orientation tag from IFD0 of the TIFF structure
// in b, in either byte order, and returns 1 when it is absent, malformed or
// out of range.
func tiffOrientation(b []byte) int {
	if len(b) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(b[2:]) != 42 {
		return 1
	}
	size := uint64(len(b))
	ifd := uint64(bo.Uint32(b[4:]))
	if ifd+2 > size {
		return 1
	}
	entries := uint64(bo.Uint16(b[ifd:]))
	for k := range entries {
		e := ifd + 2 + 12*k
		if e+12 > size {
			return 1
		}
		if bo.Uint16(b[e:]) != tagOrientation {
			continue
		}
		typ, count := bo.Uint16(b[e+2:]), bo.Uint32(b[e+4:])
		if count != 1 {
			return 1
		}
		var v uint32
		switch typ {
		case 3: // SHORT, left-justified in the value field
			v = uint32(bo.Uint16(b[e+8:]))
		case 4: // LONG, written by a few careless tools
			v = bo.Uint32(b[e+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}
