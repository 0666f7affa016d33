package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"convene"
	"convene/internal/httpd"
)

// The CSV import of users (contract section 14): a file a spreadsheet
// exported, sent as text/csv or as the multipart field "file", imported
// all or nothing.

type importInput struct {
	DryRun  bool   `query:"dry_run" doc:"answer per row what the import would do, writing nothing"`
	RawBody []byte `contentType:"text/csv"`
}

// ImportRowJSON is what the import did (or would do) with one row.
type ImportRowJSON struct {
	Row     int     `json:"row" doc:"the row's number in the file, the header being 1"`
	Outcome string  `json:"outcome" enum:"created,unchanged"`
	UserID  *string `json:"user_id,omitempty" doc:"absent for a row a dry run would create"`
	// What the row was read as, so that a preview can show it: the
	// contacts normalised as they will be stored.
	Name  string `json:"name,omitempty" doc:"the name read from the row (its contact when it has none)"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty" doc:"E.164"`
	Role  string `json:"role,omitempty" enum:"admin,session_admin,member,guest"`
}

// ImportCountsJSON counts the rows of an import by outcome.
type ImportCountsJSON struct {
	Created   int `json:"created"`
	Unchanged int `json:"unchanged"`
}

type importOutput struct {
	Body struct {
		Counts ImportCountsJSON `json:"counts"`
		Rows   []ImportRowJSON  `json:"rows"`
	}
}

// importUsers parses the file with the tenant's settings and imports it.
func (s *Server) importUsers(ctx context.Context, in *importInput) (*importOutput, error) {
	r, _ := reqResp(ctx)
	file, err := importFile(r.Header.Get("Content-Type"), in.RawBody)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	rows, err := convene.ParseUserImport(file, convene.NewContactParser(t, s.cfg.Phones))
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	res, err := s.store.ImportUsers(ctx, rows, in.DryRun)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &importOutput{}
	out.Body.Counts = ImportCountsJSON{Created: res.Created, Unchanged: res.Unchanged}
	read := make(map[int]convene.ImportRow, len(rows))
	for _, r := range rows {
		read[r.Row] = r
	}
	out.Body.Rows = viewAll(res.Rows, func(o convene.ImportOutcome) ImportRowJSON {
		r := read[o.Row]
		return ImportRowJSON{Row: o.Row, Outcome: o.Outcome, UserID: optID(o.UserID), Name: r.Name, Email: r.Email, Phone: r.Phone, Role: string(r.Role)}
	})
	return out, nil
}

// importFile is the CSV of a body sent as contentType: the body itself,
// or the part named "file" of a multipart form.
func importFile(contentType string, body []byte) (io.Reader, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	switch {
	case err != nil && contentType != "":
		return nil, unsupportedMedia()
	case mt == "text/csv", mt == "text/plain", contentType == "":
		return bytes.NewReader(body), nil
	case mt == "multipart/form-data":
		return importPart(multipart.NewReader(bytes.NewReader(body), params["boundary"]))
	}
	return nil, unsupportedMedia()
}

// importPart reads the field "file" of a multipart form, whole (the body
// is already in memory, within the size limit), checked for bad bytes as
// a text/csv body is by the middleware.
func importPart(mr *multipart.Reader) (io.Reader, error) {
	p, err := findFilePart(mr)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(p)
	if err != nil {
		return nil, convene.FieldErrorf("file", "could not be read: %v", err)
	}
	if err := httpd.CheckText("file", string(data)); err != nil {
		return nil, err
	}
	return bytes.NewReader(data), nil
}

func unsupportedMedia() error {
	return httpd.NewProblem(http.StatusUnsupportedMediaType, "",
		"send the CSV file as text/csv, or as the field file of a multipart/form-data form")
}

// describeImportForm adds the multipart form to the import's request body
// in the OpenAPI document, beside the text/csv that huma derives from
// RawBody. It is added once the operation is registered: a form schema
// there before would make huma decode the body as that form.
func describeImportForm(api huma.API) {
	op := api.OpenAPI().Paths["/api/v1/users/import"].Post
	op.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeObject, Required: []string{"file"},
		Properties: map[string]*huma.Schema{"file": {Type: huma.TypeString, Format: "binary", Description: "the CSV file"}}}}
}
