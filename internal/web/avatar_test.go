package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"convene"

	"convene/internal/api/apicheck"
	"convene/internal/storetest"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpOf is the smallest header of an extended WebP file of w x h: enough
// for the size check, which is all the server reads of it.
func webpOf(w, h int) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00")
	b = append(b, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	return b
}

// raw sends body as is and returns the status, content type and answer.
func (c *apiClient) raw(method, path, ctype string, body []byte) (int, string, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), data
}

func TestAvatars(t *testing.T) {
	a := newApp(t)
	jane := a.apiAs("jane@acme.test")
	admin := a.apiAs("ada@acme.test")
	janePath := fmt.Sprintf("/avatars/%d", a.jane.ID)
	samPath := fmt.Sprintf("/avatars/%d", a.sam.ID)

	// Without a picture: initials on a colour that stays the same.
	status, ctype, svg := admin.raw("GET", samPath, "", nil)
	if status != 200 || ctype != "image/svg+xml" || !strings.Contains(string(svg), ">SL</text>") {
		t.Fatalf("GET %s = %d %s %s, want the initials SL", samPath, status, ctype, svg)
	}
	if _, _, again := jane.raw("GET", samPath, "", nil); !bytes.Equal(again, svg) {
		t.Errorf("the initials avatar changed between requests")
	}

	pic := pngOf(t, 64, 64)
	tests := []struct {
		name   string
		as     *apiClient
		path   string
		ctype  string // as claimed; the server sniffs
		body   []byte
		status int
	}{
		{"own picture", jane, janePath, "image/png", pic, 204},
		{"someone else's, as a member", jane, samPath, "image/png", pic, 403},
		{"anyone's, as a Tenant Admin", admin, samPath, "image/png", pic, 204},
		{"webp", admin, samPath, "image/webp", webpOf(512, 256), 204},
		{"not an image, whatever the header", jane, janePath, "image/png", []byte("<svg onload=alert(1)>"), 422},
		{"too many pixels", jane, janePath, "image/png", pngOf(t, 4097, 1), 422},
		{"webp too wide", jane, janePath, "image/webp", webpOf(5000, 10), 422},
		{"over 1 MiB", jane, janePath, "image/png", append(bytes.Clone(pic), make([]byte, convene.MaxAvatarBytes)...), 413},
		{"empty", jane, janePath, "image/png", nil, 422},
		{"unknown user", admin, "/avatars/999999", "image/png", pic, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := tt.as.raw("PUT", tt.path, tt.ctype, tt.body)
			if status != tt.status {
				t.Errorf("PUT = %d %s, want %d", status, body, tt.status)
			}
		})
	}

	status, ctype, got := admin.raw("GET", janePath, "", nil)
	if status != 200 || ctype != "image/png" || !bytes.Equal(got, pic) {
		t.Errorf("GET %s = %d %s (%d bytes), want Jane's PNG", janePath, status, ctype, len(got))
	}
	if u, err := a.Store.FindUserByID(a.Sys(), a.jane.ID); err != nil || !u.HasAvatar {
		t.Errorf("Jane's HasAvatar after the upload = %v (%v), want true", u != nil && u.HasAvatar, err)
	}

	// Nobody outside the tenant, and nobody signed out, sees a picture.
	globex := storetest.AddTenantWith(t, a.Store,
		&convene.Tenant{Slug: "globex", Name: "Globex", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Gus", Email: "gus@globex.test", Role: convene.RoleAdmin})
	globex.SetPassword(t, globex.Admin, testPassword)
	jar := a.apiAs("ada@acme.test")
	jar.c.Jar = nil
	if status, _, _ := jar.raw("GET", janePath, "", nil); status != 404 {
		t.Errorf("GET %s signed out = %d, want 404", janePath, status)
	}
	outsider := &apiClient{t: t, base: a.srv.URL, c: apicheck.Client(t, &http.Client{Jar: newJar()})}
	outsider.call("POST", "/api/v1/auth/login", map[string]string{"tenant": "globex", "login": "gus@globex.test", "password": testPassword}, nil)
	if status, _, _ := outsider.raw("GET", janePath, "", nil); status != 404 {
		t.Errorf("GET %s from another tenant = %d, want 404", janePath, status)
	}
}
