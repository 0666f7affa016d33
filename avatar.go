package convene

import "context"

// MaxAvatarBytes and MaxAvatarSide bound an uploaded picture.
const (
	MaxAvatarBytes = 1 << 20
	MaxAvatarSide  = 4096
)

// AvatarService stores the pictures people upload. Without one, a user is
// shown a generated initials avatar.
type AvatarService interface {
	// SetAvatar stores data (an image of contentType, already checked by the
	// caller) as the picture of userID and marks the user as having one. A
	// user sets their own; Tenant Admins anyone's (EFORBIDDEN otherwise).
	// ENOTFOUND when the user is not of the actor's tenant.
	SetAvatar(ctx context.Context, userID int64, contentType string, data []byte) error

	// Avatar returns the picture of userID, a user of the actor's tenant:
	// ENOTFOUND when there is none.
	Avatar(ctx context.Context, userID int64) (contentType string, data []byte, err error)
}
