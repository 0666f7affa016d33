package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"convene"
	"convene/internal/httpd"
)

// FileJSON is a file kept in a session; its bytes are at its own path.
type FileJSON struct {
	ID          string    `json:"id" example:"3"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type" doc:"what the uploader claimed; downloads are served as application/octet-stream unless it is a plain image type"`
	UploadedBy  *UserJSON `json:"uploaded_by"`
	CreatedAt   string    `json:"created_at" format:"date-time"`
}

type filePath struct {
	ID     string `path:"id" maxLength:"40"`
	FileID string `path:"file_id" maxLength:"40"`
}

type listFilesInput struct {
	ID     string `path:"id" maxLength:"40"`
	Limit  int    `query:"limit" minimum:"0" maximum:"100" doc:"page size, 50 by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
}

type fileOutput struct{ Body FileJSON }

func fileView(f *convene.File, a convene.Actor) FileJSON {
	return FileJSON{ID: httpd.FormatID(f.ID), Name: f.Name, Size: f.Size, ContentType: f.ContentType,
		UploadedBy: person(f.Uploader, f.UploadedBy, a), CreatedAt: timeJSON(f.CreatedAt)}
}

// registerUpload registers the upload: a multipart body that huma does not
// read (the input has no Body), which uploadFile streams to the store. Its
// description is added once registered, since huma reads a body it is
// told of before the operation's registration.
func (s *Server) registerUpload(api huma.API) {
	op := status(s.op(http.MethodPost, "/api/v1/sessions/{id}/files", "uploadFile",
		"Upload a file to a session (multipart, field file; at most --max-file-bytes)", "files", 401, 403, 404, 413, 422), http.StatusCreated)
	huma.Register(api, op, s.uploadFile)
	registered := api.OpenAPI().Paths[op.Path].Post
	registered.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Required: []string{"file"},
			Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary"}}}},
	}}
	describeOperation(api.OpenAPI(), registered) // the answers of an operation that takes a body (415)
}

func (s *Server) uploadFile(ctx context.Context, in *idPath) (*fileOutput, error) {
	// The part's name is checked first, as bad bytes anywhere are refused
	// before the database is read (contract section 12); its bytes are
	// read only once the caller may write.
	r, _ := reqResp(ctx)
	part, err := filePart(r)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	defer part.Close()
	f := &convene.File{Name: convene.BaseName(part.FileName()), ContentType: part.Header.Get("Content-Type")}
	if err := f.Validate(); err != nil {
		return nil, s.Err(ctx, err)
	}
	a, x, err := s.Session(ctx, in.ID, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	f.SessionID = x.ID
	if err := s.store.PutFile(ctx, f, part, s.cfg.MaxFileBytes); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &fileOutput{fileView(f, a)}, nil
}

// filePart returns the part named "file" of a multipart body, unread: the
// store reads it straight from the connection.
func filePart(r *http.Request) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, convene.FieldErrorf("body", "must be multipart/form-data, with the file in the field file")
	}
	return findFilePart(mr)
}

// findFilePart skips to the part named "file" of a multipart form, the
// one field both uploads (files, the users' import) take.
func findFilePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, convene.FieldErrorf("file", "is required")
		}
		if err != nil {
			return nil, convene.FieldErrorf("body", "is not a readable multipart body")
		}
		if p.FormName() != "file" {
			p.Close()
			continue
		}
		// The file's name is text of the request like any other (422 for
		// NUL or invalid UTF-8), whatever the upload does with it.
		if err := httpd.CheckText("name", p.FileName()); err != nil {
			p.Close()
			return nil, err
		}
		return p, nil
	}
}

func (s *Server) listFiles(ctx context.Context, in *listFilesInput) (*pageOutput[FileJSON], error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	files, next, err := s.store.FindFiles(ctx, x.ID, in.Limit, in.Cursor)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(files, next, func(f *convene.File) FileJSON { return fileView(f, a) }), nil
}

func (s *Server) deleteFile(ctx context.Context, in *filePath) (*struct{}, error) {
	x, fid, err := s.file(ctx, in, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.DeleteFile(ctx, x.ID, fid))
}

func (s *Server) file(ctx context.Context, in *filePath, perm convene.Permission) (*convene.Session, int64, error) {
	_, x, err := s.Session(ctx, in.ID, perm)
	if err != nil {
		return nil, 0, err
	}
	fid, err := httpd.PathID(in.FileID, "file")
	return x, fid, err
}

// openFile opens the file of the path for reading: its download, its
// thumbnail. The caller closes the reader.
func (s *Server) openFile(ctx context.Context, in *filePath) (*convene.File, io.ReadCloser, error) {
	x, fid, err := s.file(ctx, in, convene.PermReadContent)
	if err != nil {
		return nil, nil, err
	}
	return s.store.OpenFile(ctx, x.ID, fid)
}

// thumbnailTypes are the stored types a download keeps: plain raster
// images, which a browser only ever draws (not SVG, which runs scripts).
// Every other file is served as application/octet-stream.
var thumbnailTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// downloadOp describes the download: the bytes, in one of the types it
// may be served as, with its headers.
func (s *Server) downloadOp() huma.Operation {
	op := s.op(http.MethodGet, "/api/v1/sessions/{id}/files/{file_id}", "downloadFile",
		"A file's bytes, as an attachment (served as application/octet-stream unless a plain image)", "files", 401, 404)
	op.Responses = bytesAnswer("the file's bytes", append([]string{"application/octet-stream"}, thumbnailTypes...), map[string]string{
		"Content-Disposition":    `attachment, with the name as filename (ASCII) and filename* (UTF-8, RFC 6266)`,
		"X-Content-Type-Options": "nosniff",
	})
	return op
}

// bytesAnswer describes a 200 whose body is bytes of one of types, with
// the headers named (name -> description).
func bytesAnswer(description string, types []string, headers map[string]string) map[string]*huma.Response {
	content := map[string]*huma.MediaType{}
	for _, t := range types {
		content[t] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
	described := map[string]*huma.Header{}
	for name, text := range headers {
		described[name] = &huma.Header{Schema: &huma.Schema{Type: "string"}, Description: text}
	}
	return map[string]*huma.Response{"200": {Description: description, Content: content, Headers: described}}
}

func (s *Server) downloadFile(ctx context.Context, in *filePath) (*huma.StreamResponse, error) {
	f, rc, err := s.openFile(ctx, in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		defer rc.Close()
		hctx.SetHeader("Content-Type", servedType(f.ContentType))
		hctx.SetHeader("Content-Disposition", attachment(f.Name))
		hctx.SetHeader("X-Content-Type-Options", "nosniff")
		hctx.SetHeader("Content-Security-Policy", "sandbox; default-src 'none'")
		hctx.SetHeader("Content-Length", strconv.FormatInt(f.Size, 10))
		hctx.SetHeader("Cache-Control", "private, no-cache")
		if _, err := io.Copy(hctx.BodyWriter(), rc); err != nil {
			s.log.Warn("file download cut short", "file", f.ID, "err", err)
		}
	}}, nil
}

// servedType is the type a download is served as: never what the
// uploader claimed, unless a plain image (see thumbnailTypes).
func servedType(stored string) string {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(stored, ";")[0]))
	for _, t := range thumbnailTypes {
		if mt == t {
			return t
		}
	}
	return "application/octet-stream"
}

// attachment is the Content-Disposition of a download named name: an
// ASCII fallback (anything else, quotes and backslashes as "_") and the
// exact name as RFC 6266 / RFC 5987 filename*.
func attachment(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + extValue(name)
}

// extValue percent-encodes every byte of s but RFC 5987's attr-char.
func extValue(s string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(attrChar, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
