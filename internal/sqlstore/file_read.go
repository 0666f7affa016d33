package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"convene"
)

// OpenFile returns a file of a session and a reader of its bytes that
// loads one chunk at a time: PermReadContent.
func (db *DB) OpenFile(ctx context.Context, sessionID, fileID int64) (*convene.File, io.ReadCloser, error) {
	if _, _, err := db.contentReader(ctx, sessionID); err != nil {
		return nil, nil, err
	}
	f, err := db.findFile(ctx, db.read, sessionID, fileID)
	if err != nil {
		return nil, nil, err
	}
	return f, &chunkReader{ctx: ctx, db: db, file: f}, nil
}

// chunkReader reads a file's chunks in order, one query each. A file
// deleted while it is read ends in io.ErrUnexpectedEOF, not in a short
// file that looks complete.
type chunkReader struct {
	ctx  context.Context
	db   *DB
	file *convene.File
	seq  int
	read int64
	buf  []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.read >= r.file.Size {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.read += int64(n)
	return n, nil
}

// next loads the next chunk into buf.
func (r *chunkReader) next() error {
	err := r.db.read.QueryRowContext(r.ctx, r.db.q(`SELECT data FROM file_chunks WHERE file_id = ? AND seq = ?`), r.file.ID, r.seq).Scan(&r.buf)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return io.ErrUnexpectedEOF
	case err != nil:
		return fmt.Errorf("read file chunk: %w", err)
	case len(r.buf) == 0:
		return io.ErrUnexpectedEOF
	}
	r.seq++
	return nil
}

// Close releases nothing: every chunk's query is over when next returns.
func (r *chunkReader) Close() error { return nil }
