// Package thumbnail draws the small picture a session's file list shows for
// an image file: the stored bytes decoded with the standard library's
// decoders (PNG, JPEG, GIF), scaled down and encoded anew as PNG, so that
// what a browser receives is always an image this code drew, never the
// uploaded bytes.
package thumbnail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // registers the decoder image.Decode uses
	_ "image/jpeg"
	"image/png"
	"io"
)

// MaxPixels bounds the images this package decodes: a 5000 × 4000 photo
// (20 megapixels, 80 MB once decoded as RGBA) is the largest. A small
// file can claim a huge canvas (a "decompression bomb"); its header says
// so before any pixel is decoded, and it is refused then.
const MaxPixels = 20_000_000

// ErrNotImage is returned for data that is no PNG, JPEG or GIF, that does
// not decode, or whose canvas is larger than MaxPixels.
var ErrNotImage = errors.New("not an image that can be shown as a thumbnail")

// samples is how many points a side of each destination pixel's box is
// sampled at: enough to smooth a downscale, and a fixed cost per
// thumbnail pixel whatever the size of the original.
const samples = 4

// PNG reads an image from r and returns it as a PNG at most side pixels
// wide and high, keeping its proportions (a smaller image keeps its size).
// It fails with ErrNotImage for anything that is not a drawable image.
func PNG(r io.Reader, side int) ([]byte, error) {
	img, err := decode(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, scale(img, side)); err != nil {
		return nil, fmt.Errorf("encode thumbnail: %w", err)
	}
	return b.Bytes(), nil
}

// decode reads the header first and refuses a canvas over MaxPixels
// before the decoder allocates it; the bytes the header read are replayed
// to the decoder, so the data is streamed once.
func decode(r io.Reader) (image.Image, error) {
	br := bufio.NewReader(r)
	var header bytes.Buffer
	cfg, _, err := image.DecodeConfig(io.TeeReader(br, &header))
	if err != nil {
		return nil, ErrNotImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, ErrNotImage
	}
	img, _, err := image.Decode(io.MultiReader(&header, br))
	if err != nil {
		return nil, ErrNotImage
	}
	return img, nil
}

// scale returns img shrunk to fit in side × side: each destination pixel
// is the mean of samples × samples points of its box in the source, in
// premultiplied colour, so transparent edges do not darken.
func scale(img image.Image, side int) image.Image {
	src := img.Bounds()
	w, h := fit(src.Dx(), src.Dy(), side)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			dst.SetRGBA(x, y, boxMean(img, src, x, y, w, h))
		}
	}
	return dst
}

// fit is the size of a w × h image scaled to fit in side × side, never
// larger than it is and never less than one pixel a side.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// boxMean averages the source points under destination pixel (x, y) of a
// w × h destination.
func boxMean(img image.Image, src image.Rectangle, x, y, w, h int) color.RGBA {
	var r, g, b, a uint64
	for sy := range samples {
		py := src.Min.Y + samplePoint(y, sy, src.Dy(), h)
		for sx := range samples {
			px := src.Min.X + samplePoint(x, sx, src.Dx(), w)
			cr, cg, cb, ca := img.At(clamp(px, src.Min.X, src.Max.X-1), clamp(py, src.Min.Y, src.Max.Y-1)).RGBA()
			r, g, b, a = r+uint64(cr), g+uint64(cg), b+uint64(cb), a+uint64(ca)
		}
	}
	const n = samples * samples * 257 // 16-bit colour to 8-bit, over the samples
	return color.RGBA{R: uint8(r / n), G: uint8(g / n), B: uint8(b / n), A: uint8(a / n)}
}

// samplePoint is the source coordinate of sample i of destination pixel d,
// where n source pixels map onto m: (d + (i+0.5)/samples) * n/m, in
// integers.
func samplePoint(d, i, n, m int) int {
	return (2*d*samples + 2*i + 1) * n / (2 * samples * m)
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
