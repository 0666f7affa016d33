package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"convene"
)

// rendered is a job turned into a message.
type rendered struct {
	Message Message
	// Secrets are redacted from the body recorded for the outbox.
	Secrets []string
}

// Sessions listed in one message; the rest are counted and linked to the
// dashboard.
const (
	maxListedEmail = 50
	maxListedSMS   = 5
)

// render turns a job into a message by its Kind. Errors that retrying
// cannot fix are Permanent.
func (w *Worker) render(ctx context.Context, job *convene.Job) (rendered, error) {
	ctx = convene.NewSystemContext(ctx, job.TenantID)
	switch job.Kind {
	case convene.JobNotifyBatch:
		return w.renderBatch(ctx, job)
	}
	if r, ok := w.renderLink(ctx, job); ok {
		return r()
	}
	return rendered{}, errPermanentf("unknown job kind %q", job.Kind)
}

// address picks the channel for a person: email when they have one,
// otherwise SMS.
func address(id int64, name, email, phone string) (Message, error) {
	m := Message{ID: "job-" + strconv.FormatInt(id, 10), ToName: name}
	switch {
	case email != "":
		m.Channel, m.To = ChannelEmail, email
	case phone != "":
		m.Channel, m.To = ChannelSMS, phone
	default:
		return m, errPermanentf("the recipient has neither an email address nor a phone number")
	}
	return m, nil
}

// fill renders t into m for m's channel.
func fill(m *Message, t *template, data any) (err error) {
	m.Subject, m.Text, m.HTML, err = t.execute(m.Channel, data)
	return err
}

// renderBatch tells one person which sessions a multi-invite opened to
// them: one message per person per batch.
func (w *Worker) renderBatch(ctx context.Context, job *convene.Job) (rendered, error) {
	batch, user, err := w.batchRecipient(ctx, job)
	if err != nil {
		return rendered{}, err
	}
	if !batch.UndoneAt.IsZero() {
		// Announcing access that was taken back would only confuse.
		return rendered{}, errPermanentf("batch %d was undone before its message went out", batch.ID)
	}
	m, err := address(job.ID, user.Name, user.Email, user.Phone)
	if err != nil {
		return rendered{}, err
	}
	limit := maxListedEmail
	if m.Channel == ChannelSMS {
		limit = maxListedSMS
	}
	data := batchData{Name: user.Name, Access: string(batch.Access), DashboardURL: w.cfg.PublicURL + "/"}
	data.Sessions, data.More, err = w.sessionLinks(ctx, gainedSessions(batch, user.ID), limit)
	if err != nil {
		return rendered{}, err
	}
	data.Total = len(data.Sessions) + data.More
	if data.Total == 0 {
		return rendered{}, errPermanentf("no session of batch %d is open to user %d any more", batch.ID, user.ID)
	}
	data.Inviter, data.Tenant = w.names(ctx, batch.ActorID)
	if err := fill(&m, batchTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}

// batchRecipient loads the batch of a notify-batch job and the person it
// tells, who must still be active.
func (w *Worker) batchRecipient(ctx context.Context, job *convene.Job) (*convene.Batch, *convene.User, error) {
	var p struct {
		BatchID int64 `json:"batch_id"`
		UserID  int64 `json:"user_id"`
	}
	if err := json.Unmarshal(job.Payload, &p); err != nil || p.BatchID == 0 || p.UserID == 0 {
		return nil, nil, errPermanentf("bad payload %q", job.Payload)
	}
	batch, err := w.store.FindBatch(ctx, p.BatchID)
	if err != nil {
		return nil, nil, fmt.Errorf("batch %d: %w", p.BatchID, notFoundIsPermanent(err))
	}
	user, err := w.store.FindUserByID(ctx, p.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("user %d: %w", p.UserID, notFoundIsPermanent(err))
	}
	if user.Disabled {
		return nil, nil, errPermanentf("the recipient's account is disabled")
	}
	return batch, user, nil
}

// sessionLinks links the first limit of the sessions that still exist, and
// counts the rest as more; the message then points to the dashboard for
// them. Sessions deleted since the batch are left out.
func (w *Worker) sessionLinks(ctx context.Context, sessionIDs []int64, limit int) (links []sessionLink, more int, err error) {
	for _, id := range sessionIDs {
		if len(links) == limit {
			more++
			continue
		}
		s, err := w.store.FindSessionByID(ctx, id)
		if convene.ErrorCode(err) == convene.ENOTFOUND {
			continue // deleted since
		} else if err != nil {
			return nil, 0, fmt.Errorf("session %d: %w", id, err)
		}
		links = append(links, sessionLink{Title: s.Title, URL: w.SessionURL(s.ID)})
	}
	return links, more, nil
}

// gainedSessions returns the sessions of batch that user was added to or
// upgraded in, in batch order, each once.
func gainedSessions(batch *convene.Batch, userID int64) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, r := range batch.Results {
		if r.UserID != userID {
			continue
		}
		for i, o := range r.Outcomes {
			if (o == convene.OutcomeAdded || o == convene.OutcomeUpgraded) && i < len(batch.SessionIDs) && !seen[batch.SessionIDs[i]] {
				seen[batch.SessionIDs[i]] = true
				ids = append(ids, batch.SessionIDs[i])
			}
		}
	}
	return ids
}

// names returns the name of the acting user (or "" for the system or when
// unknown) and of the tenant, for a friendlier message.
func (w *Worker) names(ctx context.Context, actorID int64) (actor, tenant string) {
	if actorID != 0 {
		if u, err := w.store.FindUserByID(ctx, actorID); err == nil {
			actor = u.Name
		}
	}
	if t, err := w.store.CurrentTenant(ctx); err == nil {
		tenant = t.Name
	}
	return actor, tenant
}

// SessionURL is the link to a session.
func (w *Worker) SessionURL(id int64) string {
	return w.cfg.PublicURL + "/sessions/" + strconv.FormatInt(id, 10)
}
