package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// Limits bounds what an upload may be.
//
// A zero or negative field takes its value from DefaultLimits, so the zero
// Limits is safe to use.
type Limits struct {
	MaxBytes  int64 // size of the uploaded file
	MaxPixels int   // width*height as declared by the file header, checked BEFORE decoding (decompression bombs)
	MaxSide   int   // longest side of the stored image; larger images are scaled down, keeping the aspect ratio
	// MaxMemory bounds the memory one image needs while it is processed:
	// its decoded form with the decoder's buffers, computed from the
	// declared dimensions and pixel format (bit depth, colour type,
	// sampling, progressive or interlaced), and the scaled or turned copy,
	// BEFORE decoding.
	MaxMemory int64
}

// DefaultLimits allows 5 MiB files of up to 40 megapixels, stored at most
// 2048 pixels on their longest side, whose processing needs at most 48 MiB.
//
// Why 48 MiB: a Processor works on at most two images at a time, 96 MiB,
// and collects the garbage of each before starting the next; with the
// collector's slack and the requests themselves, ten parallel hostile
// uploads stay well under 200 MB above the idle process (measured by
// TestParallelHostileUploadsKeepMemoryBounded in app/server). It still
// takes what members send: a phone screenshot (1170×2532: 12 MiB decoded,
// 7 MiB scaled), a 4K screenshot (3840×2160 RGBA: 32 + 9 MiB), a
// 12-megapixel phone photo (baseline JPEG: 18 + 12 MiB). It refuses a
// 6300×6300 16-bit RGBA PNG (303 MiB decoded) however small its file, a
// 40-megapixel RGBA (153 MiB at 8 bits, 305 at 16), a 5K screenshot
// (56 MiB) and progressive JPEGs over about 5 megapixels, whose decoder
// keeps 32 bits of coefficients for every sample.
var DefaultLimits = Limits{MaxBytes: 5 << 20, MaxPixels: 40_000_000, MaxSide: 2048, MaxMemory: 48 << 20}

// Image is a re-encoded image, safe to store and serve.
type Image struct {
	Data          []byte
	ContentType   string // "image/jpeg" or "image/png"
	Width, Height int
}

// Sentinel errors returned (wrapped) by Reencode; test with errors.Is.
var (
	// ErrTooLarge means the file is larger than Limits.MaxBytes.
	ErrTooLarge = errors.New("image: file too large")
	// ErrUnsupportedType means the bytes do not start like a JPEG, PNG or WebP file.
	ErrUnsupportedType = errors.New("image: not a JPEG, PNG or WebP image")
	// ErrTooManyPixels means the declared dimensions exceed Limits.MaxPixels.
	ErrTooManyPixels = errors.New("image: too many pixels")
	// ErrCorrupt means the file looked like a supported type but could not be decoded.
	ErrCorrupt = errors.New("image: corrupt image")
	// ErrTooMuchMemory means decoding the declared dimensions and pixel
	// format would need more than Limits.MaxMemory.
	ErrTooMuchMemory = errors.New("image: decoding would need too much memory")
	// ErrBusy means no decoding slot came free in time.
	ErrBusy = errors.New("image: too many images being decoded")
)

// jpegQuality is the quality of re-encoded JPEG files.
const jpegQuality = 85

// Reencode checks data against lim, decodes it and encodes it again.
//
// The type is sniffed from the first bytes, never taken from a name or a
// declared content type. JPEG input gives JPEG output with its EXIF
// orientation applied to the pixels; PNG and WebP input give PNG output. The
// output carries no metadata. Errors wrap ErrTooLarge, ErrUnsupportedType,
// ErrTooManyPixels or ErrCorrupt, except for the (unexpected) failure of an
// encoder.
//
// Reencode itself does not limit how many images are decoded at once; the
// server goes through a Processor, which does.
func Reencode(data []byte, lim Limits) (Image, error) {
	lim = lim.withDefaults()
	f, err := check(data, lim)
	if err != nil {
		return Image{}, err
	}
	return reencode(f, data, lim)
}

// check refuses data when its size, type, declared dimensions or the
// memory its decoding needs are over lim, reading only its header; it
// returns the format to decode it with.
func check(data []byte, lim Limits) (*format, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("imaging: %d bytes, limit %d: %w", len(data), lim.MaxBytes, ErrTooLarge)
	}
	f := sniff(data)
	if f == nil {
		return nil, fmt.Errorf("imaging: sniffing type: %w", ErrUnsupportedType)
	}

	cfg, err := decodeConfig(f, data)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("imaging: %s declares %dx%d: %w", f.name, cfg.Width, cfg.Height, ErrCorrupt)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(lim.MaxPixels) {
		return nil, fmt.Errorf("imaging: %s declares %dx%d, limit %d pixels: %w",
			f.name, cfg.Width, cfg.Height, lim.MaxPixels, ErrTooManyPixels)
	}
	fp, err := readFootprint(f, data)
	if err != nil {
		return nil, err
	}
	if fp.width != cfg.Width || fp.height != cfg.Height {
		return nil, fmt.Errorf("imaging: %s header declares %dx%d, decoder reads %dx%d: %w",
			f.name, fp.width, fp.height, cfg.Width, cfg.Height, ErrCorrupt)
	}
	if need := fp.bytes() + copyBytes(f, data, fp, lim.MaxSide); need > lim.MaxMemory {
		return nil, fmt.Errorf("imaging: %s declares %dx%d at %d bits a pixel: processing needs %d MiB, limit %d MiB: %w",
			f.name, fp.width, fp.height, fp.bits, need>>20, lim.MaxMemory>>20, ErrTooMuchMemory)
	}
	return f, nil
}

// reencode decodes data (checked by check) with f, scales, orients and
// encodes it.
func reencode(f *format, data []byte, lim Limits) (Image, error) {
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return Image{}, err
	}
	img, err := decode(f, data)
	if err != nil {
		return Image{}, err
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Image{}, fmt.Errorf("imaging: %s declares %dx%d but decodes to %dx%d: %w",
			f.name, cfg.Width, cfg.Height, b.Dx(), b.Dy(), ErrCorrupt)
	}

	img = fit(img, lim.MaxSide)
	if f.exifOrientation {
		img = orient(img, jpegOrientation(data))
	}

	var buf bytes.Buffer
	out := Image{ContentType: f.output, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	switch f.output {
	case "image/jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	default:
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&buf, img)
	}
	if err != nil {
		return Image{}, fmt.Errorf("imaging: encoding %s: %w", f.output, err)
	}
	out.Data = buf.Bytes()
	return out, nil
}

// withDefaults replaces non-positive fields with those of DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultLimits.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultLimits.MaxSide
	}
	if l.MaxMemory <= 0 {
		l.MaxMemory = DefaultLimits.MaxMemory
	}
	return l
}

// decodeConfig reads the header of data with f's decoder only. A decoder
// panic is reported as ErrCorrupt.
func decodeConfig(f *format, data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("imaging: reading %s header: panic: %v: %w", f.name, r, ErrCorrupt)
		}
	}()
	cfg, err = f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return image.Config{}, fmt.Errorf("imaging: reading %s header: %w: %w", f.name, ErrCorrupt, err)
	}
	return cfg, nil
}

// decode decodes data with f's decoder only. A decoder panic is reported as
// ErrCorrupt.
func decode(f *format, data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("imaging: decoding %s: panic: %v: %w", f.name, r, ErrCorrupt)
		}
	}()
	img, err = f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("imaging: decoding %s: %w: %w", f.name, ErrCorrupt, err)
	}
	return img, nil
}
