package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"convene"
)

// The data of the live events: the JSON of the object, in the field names
// of the API (contract section 13). People appear as {"id","name"}.

type userRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

func refOf(u *convene.User, id int64) userRef {
	if u == nil {
		return userRef{ID: id}
	}
	return userRef{ID: u.ID, Name: u.Name}
}

type noteData struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Version   int64     `json:"version"`
	Author    userRef   `json:"author"`
	UpdatedBy userRef   `json:"updated_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func noteEvent(n *convene.Note) noteData {
	return noteData{ID: n.ID, Title: n.Title, Body: n.Body, Version: n.Version, Author: refOf(n.Author, n.AuthorID),
		UpdatedBy: refOf(n.Updater, n.UpdatedBy), CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
}

type messageData struct {
	ID        int64     `json:"id"`
	Body      string    `json:"body"`
	Author    userRef   `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

func messageEvent(m *convene.Message) messageData {
	return messageData{ID: m.ID, Body: m.Body, Author: refOf(m.Author, m.AuthorID), CreatedAt: m.CreatedAt}
}

type fileData struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	UploadedBy  userRef   `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

func fileEvent(f *convene.File) fileData {
	return fileData{ID: f.ID, Name: f.Name, Size: f.Size, ContentType: f.ContentType, UploadedBy: refOf(f.Uploader, f.UploadedBy), CreatedAt: f.CreatedAt}
}

type idData struct {
	ID int64 `json:"id"`
}

type sessionData struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Archived    bool   `json:"archived"`
}

type memberData struct {
	User   userRef `json:"user"`
	Access string  `json:"access"` // owner, collaborate, view, or none once removed
}

type accessData struct {
	Access string `json:"access"`
}

// accessNone is what a member who lost access is told.
const accessNone = string(convene.AccessNone)

// memberChanged writes the two events of a member's new access: for the
// session (member.changed) and for them (access).
func (db *DB) memberChanged(ctx context.Context, tx *eventTx, s *convene.Session, userID int64, access string) error {
	if err := db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventMemberChanged, 0, memberData{User: userRef{ID: userID}, Access: access}); err != nil {
		return err
	}
	return db.appendEvent(ctx, tx, s.TenantID, s.ID, convene.EventAccess, userID, accessData{Access: access})
}

// pairChanged is memberChanged for code on a plain *sql.Tx of inTx (one
// pair granted outside a batch: an accepted invitation, a request).
func (db *DB) pairChanged(ctx context.Context, tx *sql.Tx, tenantID, sessionID, userID int64, access convene.Access) error {
	etx, err := db.eventsOf(tx)
	if err != nil {
		return err
	}
	return db.memberChanged(ctx, etx, &convene.Session{ID: sessionID, TenantID: tenantID}, userID, string(access))
}

// ownerMoved tells of a transfer: the old owner now collaborates, the new
// one owns.
func (db *DB) ownerMoved(ctx context.Context, tx *eventTx, s *convene.Session, newOwner int64) error {
	if err := db.memberChanged(ctx, tx, s, s.OwnerID, string(convene.AccessCollaborate)); err != nil {
		return err
	}
	return db.memberChanged(ctx, tx, s, newOwner, string(convene.AccessOwner))
}
