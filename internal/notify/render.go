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
	case convene.JobAccessGranted:
		return w.renderAccessGranted(ctx, job)
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
	batch, user, gained, err := w.batchRecipient(ctx, job)
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
	data := batchData{Name: user.Name, Access: string(batch.Access), DashboardURL: w.cfg.PublicURL + "/"}
	data.Sessions, data.More, err = w.sessionLinks(ctx, gained, listLimit(m.Channel))
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

// batchPayload is the payload of a notify-batch job (convene.JobNotifyBatch).
type batchPayload struct {
	BatchID  int64  `json:"batch_id"`
	UserID   int64  `json:"user_id"`
	Outcomes string `json:"outcomes"` // the person's, one letter per session
}

// batchRecipient loads the batch of a notify-batch job, the person it
// tells, who must still be active, and the sessions they gained.
func (w *Worker) batchRecipient(ctx context.Context, job *convene.Job) (*convene.Batch, *convene.User, []int64, error) {
	var p batchPayload
	if err := json.Unmarshal(job.Payload, &p); err != nil || p.BatchID == 0 || p.UserID == 0 {
		return nil, nil, nil, errPermanentf("bad payload %q", job.Payload)
	}
	batch, outcomes, err := w.personsBatch(ctx, p)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("batch %d: %w", p.BatchID, notFoundIsPermanent(err))
	}
	user, err := w.store.FindUserByID(ctx, p.UserID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("user %d: %w", p.UserID, notFoundIsPermanent(err))
	}
	if user.Disabled {
		return nil, nil, nil, errPermanentf("the recipient's account is disabled")
	}
	return batch, user, gainedSessions(batch.SessionIDs, outcomes), nil
}

// personsBatch reads the batch of p and the outcomes of p's person in it.
// The outcomes come with the job, so only the batch's summary is read; a
// job queued before jobs carried them reads the whole batch.
func (w *Worker) personsBatch(ctx context.Context, p batchPayload) (*convene.Batch, []convene.Outcome, error) {
	if p.Outcomes != "" {
		batch, err := w.store.FindBatchSummary(ctx, p.BatchID)
		return batch, convene.OutcomesFromLetters(p.Outcomes), err
	}
	batch, err := w.store.FindBatch(ctx, p.BatchID)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range batch.Results {
		if r.UserID == p.UserID && len(r.Outcomes) > 0 {
			return batch, r.Outcomes, nil
		}
	}
	return batch, nil, nil
}

// sessionLinks links the first limit of the sessions that still exist, and
// counts the rest as more; the message then points to the dashboard for
// them. Sessions deleted since the batch are left out. The titles are read
// limit at a time, usually in one query.
func (w *Worker) sessionLinks(ctx context.Context, sessionIDs []int64, limit int) (links []sessionLink, more int, err error) {
	for len(links) < limit && len(sessionIDs) > 0 {
		next := sessionIDs[:min(limit-len(links), len(sessionIDs))]
		sessionIDs = sessionIDs[len(next):]
		titles, err := w.store.SessionTitles(ctx, next)
		if err != nil {
			return nil, 0, fmt.Errorf("sessions: %w", err)
		}
		for _, id := range next {
			if title, ok := titles[id]; ok { // else deleted since
				links = append(links, sessionLink{Title: title, URL: w.SessionURL(id)})
			}
		}
	}
	return links, len(sessionIDs), nil
}

// gainedSessions returns the sessions a person was added to or upgraded
// in, given their outcomes (one per session of the batch), in batch order,
// each once.
func gainedSessions(sessionIDs []int64, outcomes []convene.Outcome) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for i, o := range outcomes {
		if (o == convene.OutcomeAdded || o == convene.OutcomeUpgraded) && i < len(sessionIDs) && !seen[sessionIDs[i]] {
			seen[sessionIDs[i]] = true
			ids = append(ids, sessionIDs[i])
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
