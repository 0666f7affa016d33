package thumbnail_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"convene/internal/thumbnail"
)

// halves is a w × h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 255, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 255, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encoded(t *testing.T, encode func(*bytes.Buffer, image.Image) error, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	asPNG  = func(b *bytes.Buffer, img image.Image) error { return png.Encode(b, img) }
	asJPEG = func(b *bytes.Buffer, img image.Image) error { return jpeg.Encode(b, img, &jpeg.Options{Quality: 90}) }
	asGIF  = func(b *bytes.Buffer, img image.Image) error { return gif.Encode(b, img, nil) }
)

// hugePNG is a valid PNG header (signature and IHDR with its CRC) that
// claims a w × h canvas, followed by nothing: a decompression bomb's start.
func hugePNG(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := append([]byte("IHDR"), ihdr...)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestPNG(t *testing.T) {
	tests := []struct {
		name       string
		data       []byte
		wantW      int
		wantH      int
		leftIsRed  bool
		rightIsRed bool
	}{
		{"wide PNG shrinks to 160 wide", encoded(t, asPNG, halves(400, 200)), 160, 80, true, false},
		{"tall JPEG shrinks to 160 high", encoded(t, asJPEG, halves(300, 600)), 80, 160, true, false},
		{"GIF", encoded(t, asGIF, halves(320, 320)), 160, 160, true, false},
		{"a small image keeps its size", encoded(t, asPNG, halves(40, 20)), 40, 20, true, false},
		{"a thin strip keeps one pixel", encoded(t, asPNG, halves(2000, 2)), 160, 1, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := thumbnail.PNG(bytes.NewReader(tt.data), 160)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			img, format, err := image.Decode(bytes.NewReader(out))
			if err != nil || format != "png" {
				t.Fatalf("the thumbnail is no PNG (%q): %v", format, err)
			}
			if got := img.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) {
				t.Errorf("size %v, want %dx%d", got, tt.wantW, tt.wantH)
			}
			if r, _, b, _ := img.At(0, 0).RGBA(); r < 0xe000 || b > 0x2000 {
				t.Errorf("left edge %v, want red", img.At(0, 0))
			}
			if r, _, b, _ := img.At(tt.wantW-1, 0).RGBA(); b < 0xe000 || r > 0x2000 {
				t.Errorf("right edge %v, want blue", img.At(tt.wantW-1, 0))
			}
		})
	}
}

func TestPNGRefuses(t *testing.T) {
	whole := encoded(t, asPNG, halves(64, 64))
	tests := []struct {
		name string
		data []byte
	}{
		{"HTML named like an image", []byte("<html><script>alert(1)</script></html>")},
		{"empty", nil},
		{"a PNG cut short", whole[:len(whole)/2]},
		{"a canvas of 100,000 × 100,000", hugePNG(100_000, 100_000)},
		{"a zero-width canvas", hugePNG(0, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := thumbnail.PNG(bytes.NewReader(tt.data), 160)
			if !errors.Is(err, thumbnail.ErrNotImage) || out != nil {
				t.Errorf("PNG = %d bytes, %v; want ErrNotImage", len(out), err)
			}
		})
	}
}

// TestPNGPixelLimit: a real, well-formed PNG of exactly MaxPixels is drawn;
// one row more (a few kilobytes of zeros, compressed) is refused.
func TestPNGPixelLimit(t *testing.T) {
	const w = 5000
	for _, tt := range []struct {
		rows int
		ok   bool
	}{{thumbnail.MaxPixels / w, true}, {thumbnail.MaxPixels/w + 1, false}} {
		data := encoded(t, asPNG, image.NewGray(image.Rect(0, 0, w, tt.rows)))
		_, err := thumbnail.PNG(bytes.NewReader(data), 160)
		if got := err == nil; got != tt.ok {
			t.Errorf("%d x %d (%d bytes): err %v, want drawn %v", w, tt.rows, len(data), err, tt.ok)
		}
	}
}
