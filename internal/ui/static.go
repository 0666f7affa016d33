package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFile is one embedded asset with its validator.
type staticFile struct {
	data        []byte
	etag        string
	contentType string
}

// staticFiles serves the embedded CSS, JavaScript and images. Assets are
// revalidated on each use (no-cache with a content ETag): a new binary
// never serves yesterday's script from a browser cache, and an unchanged
// one costs a 304.
type staticFiles struct {
	files map[string]staticFile
}

var staticTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
}

func newStaticFiles() *staticFiles {
	sf := &staticFiles{files: map[string]staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ctype := staticTypes[path.Ext(name)]
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		sf.files[strings.TrimPrefix(name, "static/")] = staticFile{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ctype}
		return nil
	})
	if err != nil {
		panic("web: reading embedded assets: " + err.Error()) // a build defect, not a runtime condition
	}
	return sf
}

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := sf.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.contentType)
	_, _ = w.Write(f.data)
}
