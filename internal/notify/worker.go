package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"convene"
)

// Worker delivers the store's jobs: it claims due ones, renders each by its
// Kind, sends it, and records the outcome.
type Worker struct {
	store convene.Store
	cfg   Config
	wake  chan struct{}
}

// NewWorker returns a worker for store; call Run to start it.
func NewWorker(store convene.Store, cfg Config) *Worker {
	cfg.setDefaults()
	return &Worker{store: store, cfg: cfg, wake: make(chan struct{}, 1)}
}

// Wake makes an idle worker poll now rather than at its next tick, e.g.
// right after a request enqueued a job. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers jobs until ctx is done. A message whose sending has begun is
// finished and recorded (within SendTimeout); jobs claimed but not begun are
// handed back at once. Run returns nil when ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-w.wake:
		}
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.cfg.Logger.ErrorContext(ctx, "notify: claiming jobs", "err", err)
		}
		next := w.cfg.PollInterval
		if n == w.cfg.BatchSize && err == nil {
			next = 0 // more may be due
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(next)
	}
}

// RunOnce claims one batch of due jobs and delivers them, returning how
// many it claimed. Tests call it to step the worker by hand.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	jobs, err := w.store.ClaimJobs(ctx, w.cfg.Now(), w.cfg.BatchSize, w.cfg.Lease)
	if err != nil {
		return 0, fmt.Errorf("claim jobs: %w", err)
	}
	for i, job := range jobs {
		if ctx.Err() != nil {
			w.release(jobs[i:])
			break
		}
		w.deliver(ctx, job)
	}
	return len(jobs), nil
}

// release hands claimed jobs back without waiting for their lease to end.
func (w *Worker) release(jobs []*convene.Job) {
	ctx := context.Background()
	for _, job := range jobs {
		if err := w.store.RetryJob(ctx, job.ID, "worker stopped before sending", w.cfg.Now()); err != nil {
			w.cfg.Logger.Error("notify: releasing job", "job", job.ID, "err", err)
		}
	}
}

// deliver renders, sends and records one job. It runs to the end even when
// ctx is cancelled mid-way, so that a message sent is also marked sent.
func (w *Worker) deliver(ctx context.Context, job *convene.Job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.SendTimeout)
	defer cancel()
	log := w.cfg.Logger.With("job", job.ID, "kind", job.Kind, "tenant", job.TenantID, "attempt", job.Attempts)

	out, err := w.render(ctx, job)
	if err == nil {
		err = w.send(ctx, out.Message)
	}
	if err != nil {
		w.retry(ctx, log, job, err)
		return
	}
	job.Channel, job.Recipient, job.Subject = out.Message.Channel, out.Message.To, out.Message.Subject
	// The outbox keeps what was sent, but never a link's secret: the
	// database must not hold one in clear (contract section 12).
	job.Body = redact(out.Message.Text, out.Secrets)
	// A fresh context: the message is out, and recording that must not be
	// cut short, or it would be sent again.
	if err := w.store.CompleteJob(context.WithoutCancel(ctx), job); err != nil {
		log.Error("notify: sent, but could not record it; it may be sent again", "err", err)
		return
	}
	log.Info("notify: sent", "channel", job.Channel, "to", job.Recipient)
}

func (w *Worker) send(ctx context.Context, m Message) error {
	if m.Channel == ChannelSMS {
		return w.cfg.SMS.SendSMS(ctx, m)
	}
	return w.cfg.Email.SendEmail(ctx, m)
}

// retry records a failed attempt: again later with backoff, or failed for
// good after MaxAttempts or for a permanent error.
func (w *Worker) retry(ctx context.Context, log *slog.Logger, job *convene.Job, cause error) {
	reason := truncate(HeaderSafe(cause.Error()), 1000)
	var at time.Time
	if !IsPermanent(cause) && job.Attempts < w.cfg.MaxAttempts {
		at = w.cfg.Now().Add(w.Backoff(job.Attempts))
	}
	if err := w.store.RetryJob(context.WithoutCancel(ctx), job.ID, reason, at); err != nil {
		log.Error("notify: recording a failed attempt", "err", err, "cause", reason)
		return
	}
	if at.IsZero() {
		log.Warn("notify: failed for good", "err", reason)
	} else {
		log.Warn("notify: failed, will retry", "err", reason, "retry_at", at)
	}
}

// Backoff returns the wait after the given number of attempts (1 after
// the first): Backoff, doubling each time, capped at MaxBackoff.
func (w *Worker) Backoff(attempts int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < attempts && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.cfg.MaxBackoff)
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// errPermanentf is a permanent error for a job that cannot be rendered.
func errPermanentf(format string, args ...any) error {
	return Permanent(fmt.Errorf(format, args...))
}

// notFoundIsPermanent marks ENOTFOUND (the user, batch or invitation is
// gone) as permanent: retrying will not bring it back.
func notFoundIsPermanent(err error) error {
	if convene.ErrorCode(err) == convene.ENOTFOUND || convene.ErrorCode(err) == convene.EINVALID {
		return Permanent(err)
	}
	return err
}
