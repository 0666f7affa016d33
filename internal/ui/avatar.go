package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"net/http"
	"strings"
	"unicode"

	"convene/internal/httpd"

	"convene"
)

// avatar serves GET /avatars/{id}: the uploaded picture of a user of the
// signed-in person's tenant, or an initials avatar. Anyone else gets 404,
// exactly as for an id that does not exist.
func (p *pages) avatar(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := httpd.ParseID(r.PathValue("id"))
	a, signedIn := convene.ActorFromContext(ctx)
	if !ok || !signedIn || a.User == nil {
		http.NotFound(w, r)
		return
	}
	u, err := p.store.FindUserByID(ctx, id)
	if err != nil {
		p.avatarError(w, r, err)
		return
	}
	ctype, data := "image/svg+xml", initialsSVG(u)
	if u.HasAvatar {
		if ct, img, err := p.store.Avatar(ctx, id); err == nil {
			ctype, data = ct, img
		} else if convene.ErrorCode(err) != convene.ENOTFOUND {
			p.avatarError(w, r, err)
			return
		}
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Cookie")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	if strings.Contains(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ctype)
	_, _ = w.Write(data)
}

func (p *pages) avatarError(w http.ResponseWriter, r *http.Request, err error) {
	if convene.ErrorCode(err) == convene.ENOTFOUND || convene.ErrorCode(err) == convene.EFORBIDDEN {
		http.NotFound(w, r)
		return
	}
	p.log.ErrorContext(r.Context(), "avatar", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// uploadAvatar serves PUT /avatars/{id}: the body is the image itself. Its
// type is sniffed from the bytes, never taken from the header.
func (p *pages) uploadAvatar(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if _, err := httpd.ActorUser(ctx); err != nil {
		p.WriteProblem(w, r, err)
		return
	}
	id, ok := httpd.ParseID(r.PathValue("id"))
	if !ok {
		p.WriteProblem(w, r, convene.Errorf(convene.ENOTFOUND, "user not found"))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, convene.MaxAvatarBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		p.WriteProblem(w, r, convene.Errorf(convene.ETOOLARGE, "the picture is larger than 1 MB; choose a smaller one"))
		return
	case err != nil:
		p.WriteProblem(w, r, convene.FieldErrorf("avatar", "could not be read"))
		return
	}
	ctype, err := checkAvatar(data)
	if err != nil {
		p.WriteProblem(w, r, err)
		return
	}
	if err := p.store.SetAvatar(ctx, id, ctype, data); err != nil {
		p.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// avatarPalette holds colours dark enough for white initials (WCAG AA).
var avatarPalette = []string{
	"#3b5bdb", "#1971c2", "#0c8599", "#087f5b", "#2b8a3e",
	"#5f3dc4", "#862e9c", "#a61e4d", "#c92a2a", "#d9480f",
}

// initialsSVG draws the initials of u on a colour chosen by a hash of the
// user's id, so that a person keeps their colour on every page.
func initialsSVG(u *convene.User) []byte {
	hash := fnv.New32a()
	fmt.Fprintf(hash, "%d", u.ID)
	colour := avatarPalette[hash.Sum32()%uint32(len(avatarPalette))]
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">`+
		`<rect width="64" height="64" fill="%s"/>`+
		`<text x="32" y="32" dy="0.35em" text-anchor="middle" fill="#ffffff" font-size="26" font-weight="600" `+
		`font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">%s</text></svg>`,
		colour, html.EscapeString(initials(u)))
	return b.Bytes()
}

// initials returns up to two letters: of the first and the last word of the
// name, or of the contact when there is no name.
func initials(u *convene.User) string {
	words := strings.FieldsFunc(u.Name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		words = strings.FieldsFunc(u.Login(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	if len(words) == 0 {
		return "?"
	}
	first := []rune(words[0])[0]
	if len(words) == 1 {
		return strings.ToUpper(string(first))
	}
	last := []rune(words[len(words)-1])[0]
	return strings.ToUpper(string(first) + string(last))
}
