package sqlstore

import (
	"context"
	"database/sql"

	"convene"
)

var _ convene.UserImportService = (*DB)(nil)

// ImportUsers registers the rows nobody has yet, each with a set-password
// link sent, all in one transaction; a row whose email or phone is taken
// is unchanged. A dry run reads the same and writes nothing. See
// convene.UserImportService.
func (db *DB) ImportUsers(ctx context.Context, rows []convene.ImportRow, dryRun bool) (*convene.ImportResult, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, convene.PermManageUsers, nil, ""); err != nil {
		return nil, err
	}
	if len(rows) > convene.MaxImportRows {
		return nil, convene.Errorf(convene.ETOOLARGE, "at most %d rows per import", convene.MaxImportRows)
	}
	var out *convene.ImportResult
	run := func(tx *sql.Tx) error {
		out, err = db.importRows(ctx, tx, actor, rows, dryRun)
		return err
	}
	if dryRun {
		err = db.readTx(ctx, run)
	} else {
		err = db.inTx(ctx, run)
	}
	return out, err
}

// importRows imports rows in tx; only writes when !dryRun.
func (db *DB) importRows(ctx context.Context, tx *sql.Tx, actor convene.Actor, rows []convene.ImportRow, dryRun bool) (*convene.ImportResult, error) {
	existing, err := db.existingByContact(ctx, tx, actor.TenantID, rows)
	if err != nil {
		return nil, err
	}
	res := &convene.ImportResult{Rows: make([]convene.ImportOutcome, len(rows))}
	for i, r := range rows {
		o := convene.ImportOutcome{Row: r.Row, Outcome: "unchanged"}
		id := existing[r.Email] // "" is never a key
		if id == 0 {
			id = existing[r.Phone]
		}
		if id != 0 {
			o.UserID = id
			res.Unchanged++
		} else {
			o.Outcome = "created"
			res.Created++
			if !dryRun {
				u := &convene.User{TenantID: actor.TenantID, Name: r.Name, Email: r.Email, Phone: r.Phone, Role: r.Role}
				if err := db.registerWithLink(ctx, tx, actor, u); err != nil {
					return nil, rowError(r.Row, err)
				}
				o.UserID = u.ID
			}
		}
		res.Rows[i] = o
	}
	return res, nil
}

// existingByContact maps each email and phone of rows that a user of the
// tenant has to that user's id, in one query.
func (db *DB) existingByContact(ctx context.Context, q querier, tenantID int64, rows []convene.ImportRow) (map[string]int64, error) {
	var emails, phones []string
	for _, r := range rows {
		if r.Email != "" {
			emails = append(emails, r.Email)
		}
		if r.Phone != "" {
			phones = append(phones, r.Phone)
		}
	}
	users, err := db.usersByContacts(ctx, q, tenantID, emails, phones, "")
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, 2*len(users))
	for _, u := range users {
		if u.Email != "" {
			ids[u.Email] = u.ID
		}
		if u.Phone != "" {
			ids[u.Phone] = u.ID
		}
	}
	return ids, nil
}

// rowError names the row a write refused.
func rowError(row int, err error) error {
	if convene.AsError(err) == nil {
		return err
	}
	return &convene.ImportError{Rows: []convene.RowError{{Row: row, Message: convene.ErrorMessage(err)}}}
}

// readTx runs fn in a transaction on the read pool, always rolled back.
func (db *DB) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}
