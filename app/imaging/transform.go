package imaging

import (
	"image"

	"image/draw"
)

// fit scales img down so that its longest side is at most maxSide, keeping
// the aspect ratio; it never scales up.
func fit(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxSide && h <= maxSide {
		return img
	}
	nw, nh := maxSide, scaleSide(h, maxSide, w)
	if h > w {
		nw, nh = scaleSide(w, maxSide, h), maxSide
	}
	return shrink(img, nw, nh)
}

// shrink scales img down to dw×dh by area averaging: each output pixel is
// the mean of the source area it covers, with partial source pixels
// weighted by their overlap. It reads the source one row at a time, so
// besides the output it needs only a row of the source and two rows of
// sums (a kernel scaler such as x/image/draw's CatmullRom keeps a
// dw×height buffer of 32 bytes a pixel: 400 MB for a 6300×6300 source).
// Colours are averaged premultiplied, so transparent pixels do not darken
// their neighbours.
func shrink(img image.Image, dw, dh int) *image.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	cols := spans(sw, dw)
	rows := spans(sh, dh)
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	hsum := make([]float32, 4*dw)
	acc := [2][]float32{make([]float32, 4*dw), make([]float32, 4*dw)}
	area := float32(sw) / float32(dw) * float32(sh) / float32(dh)
	cur := 0 // the output row acc[0] sums
	flush := func() {
		out := dst.Pix[cur*dst.Stride : cur*dst.Stride+4*dw]
		for i, v := range acc[0] {
			out[i] = uint8(min(v/area+0.5, 255))
		}
		acc[0], acc[1] = acc[1], acc[0]
		clear(acc[1])
		cur++
	}
	for sy := range sh {
		draw.Draw(row, row.Rect, img, image.Pt(b.Min.X, b.Min.Y+sy), draw.Src)
		clear(hsum)
		for sx, c := range cols {
			p := row.Pix[4*sx : 4*sx+4]
			for k := range c.n {
				o, wt := 4*(c.first+k), c.weight[k]
				hsum[o] += wt * float32(p[0])
				hsum[o+1] += wt * float32(p[1])
				hsum[o+2] += wt * float32(p[2])
				hsum[o+3] += wt * float32(p[3])
			}
		}
		r := rows[sy]
		for r.first > cur {
			flush()
		}
		for k := range r.n {
			a, wt := acc[k], r.weight[k]
			for i, v := range hsum {
				a[i] += wt * v
			}
		}
	}
	for cur < dh {
		flush()
	}
	return dst
}

// span is how one source pixel (column or row) spreads over at most two
// output pixels when n source pixels shrink to m (n >= m).
type span struct {
	first  int        // first output pixel covered
	n      int        // how many output pixels: 1 or 2
	weight [2]float32 // the share of the source pixel in each, summing to 1
}

// spans returns the span of each of n source pixels shrunk to m.
func spans(n, m int) []span {
	out := make([]span, n)
	scale := float64(m) / float64(n) // output pixels per source pixel, <= 1
	for i := range out {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first := int(lo)
		if first >= m {
			first = m - 1
		}
		edge := float64(first + 1)
		if hi <= edge || first+1 >= m {
			out[i] = span{first: first, n: 1, weight: [2]float32{1, 0}}
			continue
		}
		a := float32((edge - lo) / (hi - lo))
		out[i] = span{first: first, n: 2, weight: [2]float32{a, 1 - a}}
	}
	return out
}

// scaleSide returns side*num/den rounded to the nearest integer, at least 1.
func scaleSide(side, num, den int) int {
	n := int((int64(side)*int64(num) + int64(den)/2) / int64(den))
	return max(n, 1)
}

// orient applies an EXIF orientation (2 to 8) to img so that it displays
// upright without the tag; other values leave img unchanged.
func orient(img image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if orientation >= 5 { // the transposing orientations swap the sides
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch orientation {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // needs a 90° clockwise turn
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // needs a 90° counter-clockwise turn
				dx, dy = y, w-1-x
			}
			s := src.PixOffset(src.Rect.Min.X+x, src.Rect.Min.Y+y)
			d := dst.PixOffset(dx, dy)
			copy(dst.Pix[d:d+4], src.Pix[s:s+4])
		}
	}
	return dst
}

// toRGBA returns img as an *image.RGBA, converting it when needed.
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Bounds(), img, b.Min, draw.Src)
	return m
}
