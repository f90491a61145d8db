package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// format is an accepted input type: how to recognise it, decode it, and what
// it is stored as.
type format struct {
	name            string
	match           func([]byte) bool
	decodeConfig    func(io.Reader) (image.Config, error)
	decode          func(io.Reader) (image.Image, error)
	output          string // content type of the re-encoded image
	exifOrientation bool   // whether the EXIF orientation is applied
}

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// formats lists the accepted input types.
var formats = []*format{
	{
		name:            "jpeg",
		match:           func(b []byte) bool { return bytes.HasPrefix(b, jpegMagic) },
		decodeConfig:    jpeg.DecodeConfig,
		decode:          jpeg.Decode,
		output:          "image/jpeg",
		exifOrientation: true,
	},
	{
		name:         "png",
		match:        func(b []byte) bool { return bytes.HasPrefix(b, pngMagic) },
		decodeConfig: png.DecodeConfig,
		decode:       png.Decode,
		output:       "image/png",
	},
	{
		name: "webp",
		match: func(b []byte) bool {
			return len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP"
		},
		decodeConfig: webp.DecodeConfig,
		decode:       webp.Decode,
		output:       "image/png",
	},
}

// sniff returns the format that data starts with, or nil.
func sniff(data []byte) *format {
	for _, f := range formats {
		if f.match(data) {
			return f
		}
	}
	return nil
}
