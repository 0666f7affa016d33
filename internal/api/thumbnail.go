package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"convene"
	"convene/internal/thumbnail"
)

// thumbnailSide is the largest side of a thumbnail, in pixels: twice what
// the file list shows, for screens of two pixels a point.
const thumbnailSide = 160

// thumbnailMaxAge is how long a browser keeps a thumbnail: a file's bytes
// never change under its id, and "private" keeps it out of shared caches.
const thumbnailMaxAge = "private, max-age=3600"

// thumbnailOp describes the thumbnail route, beyond contract section 13
// (docs/api.md): the same access as the download, a PNG drawn anew.
func (s *Server) thumbnailOp() huma.Operation {
	op := s.op(http.MethodGet, "/api/v1/sessions/{id}/files/{file_id}/thumbnail", "fileThumbnail",
		"A small PNG of an image file (PNG, JPEG or GIF, at most 20 megapixels), drawn anew; 404 for any other file", "files", 401, 404)
	op.Responses = bytesAnswer("the thumbnail, at most 160 pixels a side", []string{"image/png"}, map[string]string{
		"Cache-Control":          thumbnailMaxAge,
		"X-Content-Type-Options": "nosniff",
	})
	return op
}

// fileThumbnail decodes the stored bytes, whatever type the uploader
// claimed, and answers 404 when they are no drawable image: the stored
// bytes themselves are never served from here. At most as many
// thumbnails are drawn at once as the drawing channel holds, since one
// takes tens of megabytes while it decodes.
func (s *Server) fileThumbnail(ctx context.Context, in *filePath) (*huma.StreamResponse, error) {
	f, rc, err := s.openFile(ctx, in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	defer rc.Close()
	select {
	case s.drawing <- struct{}{}:
		defer func() { <-s.drawing }()
	case <-ctx.Done():
		return nil, s.Err(ctx, ctx.Err())
	}
	png, err := thumbnail.PNG(io.LimitReader(rc, f.Size), thumbnailSide)
	if errors.Is(err, thumbnail.ErrNotImage) {
		return nil, s.Err(ctx, convene.Errorf(convene.ENOTFOUND, "file %d is no PNG, JPEG or GIF image of at most %d pixels, so it has no thumbnail", f.ID, thumbnail.MaxPixels))
	}
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", "image/png")
		hctx.SetHeader("X-Content-Type-Options", "nosniff")
		hctx.SetHeader("Cache-Control", thumbnailMaxAge)
		hctx.SetHeader("Content-Length", strconv.Itoa(len(png)))
		if _, err := hctx.BodyWriter().Write(png); err != nil {
			s.log.Debug("thumbnail cut short", "file", f.ID, "err", err)
		}
	}}, nil
}
