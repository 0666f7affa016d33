package web_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// testImage is a w × h image of one colour.
func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:], []byte{40, 120, 200, 255})
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tinyPNG is a 4 × 4 PNG.
func tinyPNG(t testing.TB) []byte { return encodePNG(t, testImage(4, 4)) }

// bombHeader is a PNG signature and IHDR (CRC and all) claiming a
// 60,000 × 60,000 canvas, with no pixels after it.
func bombHeader() []byte {
	ihdr := append([]byte("IHDR"), make([]byte, 13)...)
	binary.BigEndian.PutUint32(ihdr[4:], 60_000)
	binary.BigEndian.PutUint32(ihdr[8:], 60_000)
	ihdr[12], ihdr[13] = 8, 6
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// TestFileThumbnail: PNG and JPEG files get a PNG of at most 160 pixels a
// side, cached privately; an HTML file named x.png, a file that claims a
// huge canvas and a text file answer 404 and never their bytes.
func TestFileThumbnail(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	files := "/api/v1/sessions/" + id(s.ID) + "/files"
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, testImage(640, 320), nil); err != nil {
		t.Fatal(err)
	}
	uploaded := func(name, ctype string, data []byte) string {
		t.Helper()
		r := e.do("collab", http.MethodPost, files, upload(t, "file", name, ctype, data))
		wantStatus(t, r, http.StatusCreated, "upload "+name)
		var f struct{ ID string }
		r.decode(t, &f)
		return files + "/" + f.ID + "/thumbnail"
	}

	for _, tt := range []struct {
		name, ctype string
		data        []byte
		want        image.Point
	}{
		{"wide.png", "image/png", encodePNG(t, testImage(400, 100)), image.Pt(160, 40)},
		{"photo.jpg", "image/jpeg", jpg.Bytes(), image.Pt(160, 80)},
		{"small.png", "image/png", tinyPNG(t), image.Pt(4, 4)},
		// The bytes decide, not the name or the claimed type.
		{"really-a-png.txt", "text/plain", encodePNG(t, testImage(10, 300)), image.Pt(5, 160)},
	} {
		r := e.do("viewer", http.MethodGet, uploaded(tt.name, tt.ctype, tt.data), nil)
		wantStatus(t, r, http.StatusOK, "thumbnail of "+tt.name)
		h := r.header
		if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Cache-Control"), "private, max-age=") {
			t.Errorf("%s: headers %v, want image/png, nosniff, private caching", tt.name, h)
		}
		img, format, err := image.Decode(bytes.NewReader(r.body))
		if err != nil || format != "png" {
			t.Fatalf("%s: the thumbnail is no PNG (%s): %v", tt.name, format, err)
		}
		if got := img.Bounds().Size(); got != tt.want {
			t.Errorf("%s: thumbnail %v, want %v", tt.name, got, tt.want)
		}
		if r, g, b, _ := img.At(0, 0).RGBA(); r>>8 > 60 || g>>8 < 100 || b>>8 < 180 {
			t.Errorf("%s: colour %v, want the image's blue", tt.name, color.RGBAModel.Convert(img.At(0, 0)))
		}
	}

	html := []byte("<html><script>alert(1)</script></html>")
	for _, tt := range []struct {
		name, ctype string
		data        []byte
	}{
		{"x.png", "image/png", html},
		{"bomb.png", "image/png", bombHeader()},
		{"notes.txt", "text/plain", []byte("hello")},
	} {
		r := e.do("owner", http.MethodGet, uploaded(tt.name, tt.ctype, tt.data), nil)
		wantProblem(t, r, http.StatusNotFound, "thumbnail of "+tt.name)
		if bytes.Contains(r.body, tt.data) {
			t.Errorf("%s: the answer holds the stored bytes: %s", tt.name, r.body)
		}
	}
	wantProblem(t, e.do("owner", http.MethodGet, files+"/999999/thumbnail", nil), http.StatusNotFound, "thumbnail of no file")
}
