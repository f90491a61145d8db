package imaging

import (
	"image"

	"golang.org/x/image/draw"
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
	dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
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
