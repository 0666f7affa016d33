package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"convene"
)

// chunkSize is the size of one row of file_chunks: an upload is read and
// written a chunk at a time, so it is never whole in memory.
const chunkSize = 256 << 10

const fileSelect = `SELECT f.id, f.tenant_id, f.session_id, f.name, f.size, f.content_type, f.uploaded_by, f.created_at, a.name
	FROM files f JOIN users a ON a.id = f.uploaded_by `

// PutFile stores what r yields as f, a chunk at a time: PermWriteContent.
// The chunks are written as they arrive, in short statements, under a row
// that stays unlisted until the final transaction, which checks access
// again, completes the file and writes its event and audit entry. Past
// limit bytes (ETOOLARGE), on a read error or a refusal, the row and its
// chunks are deleted: nothing is kept. The database's one writer (SQLite)
// is thus never held for the length of an upload.
func (db *DB) PutFile(ctx context.Context, f *convene.File, r io.Reader, limit int64) error {
	if f.ContentType == "" {
		f.ContentType = "application/octet-stream"
	}
	if err := f.Validate(); err != nil {
		return err
	}
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	s, err := db.sessionFor(ctx, db.read, actor, f.SessionID, convene.PermWriteContent)
	if err != nil {
		return err
	}
	f.TenantID, f.UploadedBy, f.Uploader, f.CreatedAt = s.TenantID, actor.UserID(), actor.User, db.clock()
	err = db.write.QueryRowContext(ctx, db.q(`INSERT INTO files (tenant_id, session_id, name, size, content_type, uploaded_by, complete, created_at)
		VALUES (?, ?, ?, 0, ?, ?, ?, ?) RETURNING id`), f.TenantID, f.SessionID, f.Name, f.ContentType, nullID(f.UploadedBy), false, ns(f.CreatedAt)).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("insert file: %w", err)
	}
	if err := db.putChunks(ctx, f, r, limit); err != nil {
		return errors.Join(err, db.dropFile(ctx, f.ID))
	}
	if err := db.completeFile(ctx, f); err != nil {
		return errors.Join(err, db.dropFile(ctx, f.ID))
	}
	return nil
}

// putChunks writes what r yields as the chunks of f, counting f.Size:
// ETOOLARGE as soon as it passes limit.
func (db *DB) putChunks(ctx context.Context, f *convene.File, r io.Reader, limit int64) error {
	buf := make([]byte, chunkSize)
	r = io.LimitReader(r, limit+1)
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if f.Size += int64(n); f.Size > limit {
				return convene.Errorf(convene.ETOOLARGE, "the file is larger than %d bytes", limit)
			}
			if _, err := db.write.ExecContext(ctx, db.q(`INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)`), f.ID, seq, buf[:n]); err != nil {
				return fmt.Errorf("insert file chunk: %w", err)
			}
		}
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return nil
		case err != nil:
			return fmt.Errorf("read upload: %w", err)
		}
	}
}

// completeFile lists f, once access has been checked again in the
// transaction, with its event and audit entry.
func (db *DB) completeFile(ctx context.Context, f *convene.File) error {
	return db.inSessionTx(ctx, f.SessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE files SET size = ?, complete = ? WHERE id = ?`), f.Size, true, f.ID); err != nil {
			return fmt.Errorf("complete file: %w", err)
		}
		if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventFileCreated, 0, fileEvent(f)); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditFileUploaded, SessionID: s.ID, After: f.Name})
	})
}

// dropFile deletes an incomplete file and its chunks, even when ctx was
// cancelled (a client that went away leaves nothing behind).
func (db *DB) dropFile(ctx context.Context, id int64) error {
	if _, err := db.write.ExecContext(context.WithoutCancel(ctx), db.q(`DELETE FROM files WHERE id = ?`), id); err != nil {
		return fmt.Errorf("drop incomplete file: %w", err)
	}
	return nil
}

// FindFiles lists a session's complete files, newest first: PermReadContent.
func (db *DB) FindFiles(ctx context.Context, sessionID int64, limit int, cursor string) ([]*convene.File, string, error) {
	if _, _, err := db.contentReader(ctx, sessionID); err != nil {
		return nil, "", err
	}
	return pageByID(ctx, db, "file", scanFile, fileSelect+`WHERE f.complete = TRUE AND f.session_id = ?`, "f.id", "DESC", sessionID, limit, cursor,
		func(f *convene.File) int64 { return f.ID })
}

// DeleteFile deletes a file and its chunks: PermWriteContent.
func (db *DB) DeleteFile(ctx context.Context, sessionID, fileID int64) error {
	return db.inSessionTx(ctx, sessionID, convene.PermWriteContent, func(tx *eventTx, actor convene.Actor, s *convene.Session) error {
		f, err := db.findFile(ctx, tx, s.ID, fileID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM files WHERE id = ?`), f.ID); err != nil {
			return fmt.Errorf("delete file: %w", err)
		}
		if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventFileDeleted, 0, idData{ID: f.ID}); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx.Tx, &convene.AuditEvent{TenantID: s.TenantID, ActorID: actor.UserID(), Action: convene.AuditFileDeleted, SessionID: s.ID, Before: f.Name})
	})
}

// findFile reads one complete file of a session; ENOTFOUND otherwise.
func (db *DB) findFile(ctx context.Context, q querier, sessionID, fileID int64) (*convene.File, error) {
	f, err := scanFile(q.QueryRowContext(ctx, db.q(fileSelect+`WHERE f.session_id = ? AND f.id = ? AND f.complete = ?`), sessionID, fileID, true))
	if err != nil {
		return nil, notFound(err, "file %d not found", fileID)
	}
	return f, nil
}

func scanFile(row rowScanner) (*convene.File, error) {
	var f convene.File
	var created int64
	var uploader string
	if err := row.Scan(&f.ID, &f.TenantID, &f.SessionID, &f.Name, &f.Size, &f.ContentType, &f.UploadedBy, &created, &uploader); err != nil {
		return nil, err
	}
	f.CreatedAt = ts(created)
	f.Uploader = &convene.User{ID: f.UploadedBy, TenantID: f.TenantID, Name: uploader}
	return &f, nil
}
