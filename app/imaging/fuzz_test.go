package imaging_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image/gif"
	"testing"

	"forewarn/app/imaging"
)

// fuzzLimits keeps each fuzz run small and fast.
var fuzzLimits = imaging.Limits{MaxBytes: 64 << 10, MaxPixels: 1 << 18, MaxSide: 128}

func FuzzReencode(f *testing.F) {
	le, be := binary.LittleEndian, binary.BigEndian
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, quadrants(8, 8), nil); err != nil {
		f.Fatalf("encode gif: %v", err)
	}
	seeds := [][]byte{
		nil,
		[]byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
		gifData.Bytes(),
		{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02},
		insertAfterSOI(encodeJPEG(f, quadrants(40, 20)), exifAPP1(leakyEXIF(le, 6))),
		insertAfterSOI(encodeJPEG(f, quadrants(20, 10)), exifAPP1(leakyEXIF(be, 3))),
		orientedJPEG(f, quadrants(300, 16), be, 8),
		encodeJPEG(f, quadrants(3, 5)),
		insertAfterIHDR(encodePNG(f, quadrants(30, 10)), pngChunk("tEXt", []byte("Comment\x00LEAKYTEXT"))),
		encodePNG(f, stripes(200, 8)),
		bombPNG(f, 60000, 60000),
		bombPNG(f, 4, 4),
		webpSolid(1, 1, red),
		webpSolid(300, 2, green),
		webpExtended(5, 4, blue),
		webpSolid(16384, 16384, white),
	}
	for _, s := range seeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := imaging.Reencode(data, fuzzLimits)
		if err != nil {
			for _, want := range []error{imaging.ErrTooLarge, imaging.ErrUnsupportedType, imaging.ErrTooManyPixels, imaging.ErrCorrupt} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if img.Width < 1 || img.Height < 1 || img.Width > fuzzLimits.MaxSide || img.Height > fuzzLimits.MaxSide {
			t.Fatalf("output is %dx%d, limit %d per side", img.Width, img.Height, fuzzLimits.MaxSide)
		}
		if img.Width*img.Height > fuzzLimits.MaxPixels {
			t.Fatalf("output is %dx%d, limit %d pixels", img.Width, img.Height, fuzzLimits.MaxPixels)
		}
		decodeOutput(t, img)
	})
}
