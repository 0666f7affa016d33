package ui

import (
	"bytes"
	"encoding/binary"
	"image"
	_ "image/jpeg" // registers the decoder image.DecodeConfig uses
	_ "image/png"  // registers the decoder image.DecodeConfig uses
	"net/http"

	"convene"
)

// checkAvatar returns the content type of an uploaded picture, sniffed from
// its bytes: PNG, JPEG or WebP, at most MaxAvatarSide pixels a side.
func checkAvatar(data []byte) (string, error) {
	if len(data) == 0 {
		return "", convene.FieldErrorf("avatar", "is empty; choose a picture")
	}
	ctype := http.DetectContentType(data)
	var w, h int
	switch ctype {
	case "image/png", "image/jpeg":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return "", convene.FieldErrorf("avatar", "could not be read as an image")
		}
		w, h = cfg.Width, cfg.Height
	case "image/webp":
		var ok bool
		if w, h, ok = webpSize(data); !ok {
			return "", convene.FieldErrorf("avatar", "could not be read as an image")
		}
	default:
		return "", convene.FieldErrorf("avatar", "must be a PNG, JPEG or WebP image")
	}
	if w <= 0 || h <= 0 || w > convene.MaxAvatarSide || h > convene.MaxAvatarSide {
		return "", convene.FieldErrorf("avatar", "must be at most %d × %d pixels", convene.MaxAvatarSide, convene.MaxAvatarSide)
	}
	return ctype, nil
}

// webpSize reads the canvas size from the first chunk of a WebP file
// (RIFF....WEBP then VP8, VP8L or VP8X), as the format specification lays
// it out; the standard library has no WebP decoder.
func webpSize(b []byte) (w, h int, ok bool) {
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0, false
	}
	switch string(b[12:16]) {
	case "VP8X":
		w = int(uint32(b[24])|uint32(b[25])<<8|uint32(b[26])<<16) + 1
		h = int(uint32(b[27])|uint32(b[28])<<8|uint32(b[29])<<16) + 1
	case "VP8L":
		if b[20] != 0x2f {
			return 0, 0, false
		}
		bits := binary.LittleEndian.Uint32(b[21:25])
		w = int(bits&0x3fff) + 1
		h = int((bits>>14)&0x3fff) + 1
	case "VP8 ":
		if b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a {
			return 0, 0, false
		}
		w = int(binary.LittleEndian.Uint16(b[26:28]) & 0x3fff)
		h = int(binary.LittleEndian.Uint16(b[28:30]) & 0x3fff)
	default:
		return 0, 0, false
	}
	return w, h, true
}
