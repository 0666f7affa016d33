package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"convene"
)

// accessGrantedPayload is the payload of an access-granted job
// (convene.JobAccessGranted), queued where a user comes to exist and
// access requests waiting for them were granted.
type accessGrantedPayload struct {
	UserID     int64   `json:"user_id"`
	SessionIDs []int64 `json:"session_ids"`
}

// renderAccessGranted tells a person which sessions their access
// requests opened to them: one message for all the requests granted when
// they registered, listed like a batch's (at most 50 by email, 5 by SMS,
// the rest counted). No inviter is named: the requests may come from
// several people.
func (w *Worker) renderAccessGranted(ctx context.Context, job *convene.Job) (rendered, error) {
	var p accessGrantedPayload
	if err := json.Unmarshal(job.Payload, &p); err != nil || p.UserID == 0 || len(p.SessionIDs) == 0 {
		return rendered{}, errPermanentf("bad payload %q", job.Payload)
	}
	user, err := w.store.FindUserByID(ctx, p.UserID)
	if err != nil {
		return rendered{}, fmt.Errorf("user %d: %w", p.UserID, notFoundIsPermanent(err))
	}
	if user.Disabled {
		return rendered{}, errPermanentf("the recipient's account is disabled")
	}
	m, err := address(job.ID, user.Name, user.Email, user.Phone)
	if err != nil {
		return rendered{}, err
	}
	data := batchData{Name: user.Name, DashboardURL: w.cfg.PublicURL + "/"}
	data.Sessions, data.More, err = w.sessionLinks(ctx, p.SessionIDs, listLimit(m.Channel))
	if err != nil {
		return rendered{}, err
	}
	data.Total = len(data.Sessions) + data.More
	if data.Total == 0 {
		return rendered{}, errPermanentf("no session granted to user %d exists any more", user.ID)
	}
	_, data.Tenant = w.names(ctx, 0)
	if err := fill(&m, batchTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}

// listLimit is how many sessions a message on channel lists by name.
func listLimit(channel string) int {
	if channel == ChannelSMS {
		return maxListedSMS
	}
	return maxListedEmail
}
