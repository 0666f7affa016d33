package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// MembersPage lists a page of a session's members with their users, the
// owner first and then by name and id (a keyset: the cursor holds the
// last row's rank, name and id), those whose name, email or phone
// contains f.Query when it is set.
func (db *DB) MembersPage(ctx context.Context, sessionID int64, f convene.MemberFilter) ([]*convene.Membership, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if _, err := db.readableSession(ctx, db.read, actor, sessionID); err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 100, 500)
	const rank = `CASE WHEN m.access = 'owner' THEN 0 ELSE 1 END`
	where, args := `m.session_id = ? AND u.tenant_id = ?`, []any{sessionID, actor.TenantID}
	if f.Cursor != "" {
		var r int
		var name string
		var id int64
		if err := decodeCursor(f.Cursor, &r, &name, &id); err != nil {
			return nil, "", err
		}
		where += ` AND (` + rank + ` > ? OR (` + rank + ` = ? AND (u.name > ? OR (u.name = ? AND u.id > ?))))`
		args = append(args, r, r, name, name, id)
	}
	if f.Query != "" {
		cond, condArgs := db.d.UserSearch(f.Query)
		where, args = where+` AND `+cond, append(args, condArgs...)
	}
	members, err := queryAll(ctx, db, db.read, "member", scanMember, `
		SELECT m.session_id, m.user_id, m.access, COALESCE(m.granted_by, 0), COALESCE(m.batch_id, 0), m.created_at, m.updated_at, `+userColumns+`
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE `+where+`
		ORDER BY `+rank+`, u.name, u.id`+fmt.Sprintf(` LIMIT %d`, limit+1), args...)
	if err != nil || len(members) <= limit {
		return members, "", err
	}
	last := members[limit-1]
	r := 1
	if last.Access == convene.AccessOwner {
		r = 0
	}
	return members[:limit], encodeCursor(r, last.User.Name, last.UserID), nil
}
