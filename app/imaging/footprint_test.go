package imaging_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"runtime"
	"sync"
	"testing"
	"time"

	"forewarn/app/imaging"
)

// tinyPNG is a PNG of a few dozen bytes whose IHDR declares w×h pixels of
// the given bit depth, colour type and interlace method.
func tinyPNG(t testing.TB, w, h uint32, depth, colour, interlace byte) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colour, 0, 0, interlace)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 8))
	zw.Close()
	p := []byte("\x89PNG\r\n\x1a\n")
	p = append(p, pngChunk("IHDR", ihdr)...)
	p = append(p, pngChunk("IDAT", z.Bytes())...)
	return append(p, pngChunk("IEND", nil)...)
}

// hugePNG is a real, valid w×h 16-bit RGBA PNG (all transparent), written
// row by row so that the test never holds the image: 6300×6300 is about
// 300 KB of file for 317 MB of pixels.
func hugePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	row := make([]byte, 1+8*w) // filter type 0, then the samples
	for range h {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := []byte("\x89PNG\r\n\x1a\n")
	p = append(p, pngChunk("IHDR", ihdr)...)
	p = append(p, pngChunk("IDAT", z.Bytes())...)
	return append(p, pngChunk("IEND", nil)...)
}

var (
	hugeOnce sync.Once
	hugeData []byte
)

// huge6300 is hugePNG(6300, 6300), made once.
func huge6300(t testing.TB) []byte {
	hugeOnce.Do(func() { hugeData = hugePNG(t, 6300, 6300) })
	return hugeData
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Images whose decoding would need more than MaxMemory are refused
// from their header, before a pixel is decoded, though they are within
// MaxPixels.
func TestRefusedByDecodedSizeBeforeDecoding(t *testing.T) {
	if raceDetector {
		t.Skip("builds and decodes tens of megapixels: run without the race detector")
	}
	progressive := encodeJPEG(t, quadrants(16, 16))
	sof := bytes.Index(progressive, []byte{0xFF, 0xC0})
	progressive[sof+1] = 0xC2
	binary.BigEndian.PutUint16(progressive[sof+5:], 4000) // height
	binary.BigEndian.PutUint16(progressive[sof+7:], 5000) // width

	cases := map[string][]byte{
		"72-byte PNG 6300x6300 RGBA16":      tinyPNG(t, 6300, 6300, 16, 6, 0),
		"real PNG 6300x6300 RGBA16":         huge6300(t),
		"PNG 6300x6300 RGB16":               tinyPNG(t, 6300, 6300, 16, 2, 0),
		"PNG 5000x5000 RGBA8":               tinyPNG(t, 5000, 5000, 8, 6, 0),
		"interlaced PNG 3000x3000 RGBA8":    tinyPNG(t, 3000, 3000, 8, 6, 1),
		"PNG 6324x6324 RGBA16 (40 MP)":      tinyPNG(t, 6324, 6324, 16, 6, 0),
		"progressive JPEG 5000x4000":        progressive,
		"lossless WebP 4096x4096":           webpSolid(4096, 4096, red),
		"lossless WebP VP8X 5000x4000":      webpExtended(5000, 4000, red),
		"PNG 2x20000000 grey (MaxPixels)":   tinyPNG(t, 2, 20_000_000, 8, 0, 0),
		"PNG 20000000x2 grey16 (MaxPixels)": tinyPNG(t, 20_000_000, 2, 16, 0, 0),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = imaging.Reencode(data, imaging.DefaultLimits) })
			if !errors.Is(err, imaging.ErrTooMuchMemory) && !errors.Is(err, imaging.ErrTooManyPixels) {
				t.Fatalf("err = %v, want ErrTooMuchMemory", err)
			}
			if alloc > 1<<20 {
				t.Errorf("allocated %d KiB to refuse it", alloc>>10)
			}
		})
	}
	if n := len(cases["72-byte PNG 6300x6300 RGBA16"]); n > 80 {
		t.Errorf("the tiny PNG is %d bytes", n)
	}
	if n := len(huge6300(t)); n > 400<<10 {
		t.Errorf("the real 6300x6300 PNG is %d KiB", n>>10)
	}
	// The bit depth and colour type count: at 5000x5000, 8-bit palette or
	// grey is within the budget (24 MiB decoded), 16-bit RGBA is not.
	for _, data := range [][]byte{tinyPNG(t, 5000, 5000, 8, 3, 0), tinyPNG(t, 5000, 5000, 8, 0, 0)} {
		if _, err := imaging.Reencode(data, imaging.DefaultLimits); !errors.Is(err, imaging.ErrCorrupt) {
			t.Errorf("8-bit 5000x5000: err = %v, want it decoded (and found corrupt)", err)
		}
	}
	if _, err := imaging.Reencode(tinyPNG(t, 5000, 5000, 16, 6, 0), imaging.DefaultLimits); !errors.Is(err, imaging.ErrTooMuchMemory) {
		t.Errorf("16-bit RGBA 5000x5000: err = %v, want ErrTooMuchMemory", err)
	}
}

// What members really send is accepted: screenshots and phone photos.
func TestOrdinaryImagesAreAccepted(t *testing.T) {
	if raceDetector {
		t.Skip("tens of megapixels: run without the race detector")
	}
	// Each pixel is (x, y, x^y) with full alpha, written straight into Pix
	// (tens of megapixels through Set and color.Color take seconds).
	gradient := func(w, h int) *image.NRGBA {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			row := m.Pix[y*m.Stride:]
			for x := range w {
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = uint8(x), uint8(y), uint8(x^y), 255
			}
		}
		return m
	}
	screenshot := gradient(1170, 2532) // a phone screenshot
	desktop := gradient(3840, 2160)    // a 4K screenshot
	photo := gradient(4000, 3000)      // a 12-megapixel photo
	deep := image.NewNRGBA64(image.Rect(0, 0, 1000, 1000))
	for y := range 1000 {
		for x := range 1000 {
			deep.SetNRGBA64(x, y, color.NRGBA64{uint16(uint8(x)) * 0x101, uint16(uint8(y)) * 0x101, uint16(uint8(x^y)) * 0x101, 0xffff})
		}
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		w, h  int
		ctype string
	}{
		{"phone screenshot PNG", encodePNG(t, screenshot), 946, 2048, "image/png"},
		{"4K screenshot PNG", encodePNG(t, desktop), 2048, 1152, "image/png"},
		{"12 MP photo JPEG", encodeJPEG(t, photo), 2048, 1536, "image/jpeg"},
		{"16-bit PNG 1000x1000", encodePNG(t, deep), 1000, 1000, "image/png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := imaging.Reencode(tc.data, imaging.DefaultLimits)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if img.Width != tc.w || img.Height != tc.h || img.ContentType != tc.ctype {
				t.Fatalf("got %dx%d %s, want %dx%d %s", img.Width, img.Height, img.ContentType, tc.w, tc.h, tc.ctype)
			}
			out := decodeOutput(t, img)
			// Area averaging keeps the colours: the top-left pixel of the
			// screenshot stays near (0, 0, 0).
			if r, g, b, _ := out.At(0, 0).RGBA(); r>>8 > 8 || g>>8 > 8 || b>>8 > 8 {
				t.Errorf("top-left pixel %d,%d,%d", r>>8, g>>8, b>>8)
			}
		})
	}
}

// The cost read from the header is never below what the decoder really
// allocates, for each pixel format the decoders produce.
func TestHeaderCostCoversTheDecoder(t *testing.T) {
	const w, h = 640, 480
	rect := image.Rect(0, 0, w, h)
	pal := image.NewPaletted(rect, color.Palette{color.Black, color.White, red, blue})
	rgb := image.NewRGBA(rect)
	for i := range rgb.Pix {
		rgb.Pix[i] = 255
	}
	for name, data := range map[string][]byte{
		"PNG RGBA8":     encodePNG(t, quadrants(w, h)),
		"PNG RGB8":      encodePNG(t, rgb),
		"PNG RGBA16":    encodePNG(t, image.NewNRGBA64(rect)),
		"PNG grey8":     encodePNG(t, image.NewGray(rect)),
		"PNG grey16":    encodePNG(t, image.NewGray16(rect)),
		"PNG palette":   encodePNG(t, pal),
		"JPEG colour":   encodeJPEG(t, quadrants(w, h)),
		"JPEG grey":     encodeJPEG(t, image.NewGray(rect)),
		"WebP lossless": webpSolid(w, h, red),
		"WebP VP8X":     webpExtended(w, h, red),
	} {
		t.Run(name, func(t *testing.T) {
			cost, err := imaging.DecodeCost(data)
			if err != nil {
				t.Fatal(err)
			}
			var derr error
			alloc := allocated(func() { derr = imaging.DecodeOnly(data) })
			if derr != nil {
				t.Fatal(derr)
			}
			if alloc > uint64(cost) {
				t.Errorf("decoder allocated %d bytes, header says %d", alloc, cost)
			}
			t.Logf("decoder allocated %d KiB, header says %d KiB", alloc>>10, cost>>10)
		})
	}
}

// A Processor decodes at most its number of images at a time; header
// checks do not wait for a slot.
func TestProcessorBoundsConcurrentDecoding(t *testing.T) {
	p := imaging.NewProcessor(imaging.DefaultLimits, 2, 100*time.Millisecond)
	small := encodePNG(t, quadrants(64, 64))
	release1, release2 := p.HoldSlot(), p.HoldSlot()
	start := time.Now()
	if _, err := p.Reencode(context.Background(), small); !errors.Is(err, imaging.ErrBusy) {
		t.Fatalf("with both slots taken: err = %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("gave up after %v, want the wait of 100ms", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Reencode(ctx, small); !errors.Is(err, imaging.ErrBusy) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: err = %v", err)
	}
	if _, err := p.Reencode(context.Background(), tinyPNG(t, 6300, 6300, 16, 6, 0)); !errors.Is(err, imaging.ErrTooMuchMemory) {
		t.Errorf("a bomb while busy: err = %v, want ErrTooMuchMemory at once", err)
	}
	release1()
	if _, err := p.Reencode(context.Background(), small); err != nil {
		t.Errorf("with a slot free: %v", err)
	}
	release2()
	// Each call gives its slot back: many calls in a row all succeed.
	for range 5 {
		if _, err := p.Reencode(context.Background(), small); err != nil {
			t.Fatalf("in a row: %v", err)
		}
	}
	// A decode error gives the slot back too.
	for range 3 {
		if _, err := p.Reencode(context.Background(), tinyPNG(t, 64, 64, 8, 6, 0)); !errors.Is(err, imaging.ErrCorrupt) {
			t.Fatalf("corrupt: %v", err)
		}
	}
	if _, err := p.Reencode(context.Background(), small); err != nil {
		t.Errorf("after errors: %v", err)
	}
}
