package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"convene"
)

// outboxPageSize is how many messages one page of the outbox shows.
const outboxPageSize = 25

// outboxScan is how many of the newest messages the outbox filters and
// pages over: the page reads the store's existing job list.
const outboxScan = 1000

// outboxQuery is the outbox's filter and page, from the URL's query.
type outboxQuery struct {
	Q, Channel string
	Page, Of   int
}

func parseOutboxQuery(v url.Values) outboxQuery {
	q := outboxQuery{Q: strings.TrimSpace(v.Get("q")), Channel: v.Get("channel")}
	if q.Channel != "email" && q.Channel != "sms" {
		q.Channel = ""
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	return q
}

// matches reports whether job passes the channel and the search (over
// recipient and subject, ignoring case).
func (q outboxQuery) matches(job *convene.Job) bool {
	if q.Channel != "" && job.Channel != q.Channel {
		return false
	}
	needle := strings.ToLower(q.Q)
	return needle == "" || strings.Contains(strings.ToLower(job.Recipient), needle) ||
		strings.Contains(strings.ToLower(job.Subject), needle)
}

// pageOf keeps the jobs that match and returns the asked page of them,
// setting Of (the page count) and clamping Page to it.
func (q *outboxQuery) pageOf(jobs []*convene.Job) []*convene.Job {
	var kept []*convene.Job
	for _, j := range jobs {
		if q.matches(j) {
			kept = append(kept, j)
		}
	}
	q.Of = max(1, (len(kept)+outboxPageSize-1)/outboxPageSize)
	q.Page = min(q.Page, q.Of)
	start := (q.Page - 1) * outboxPageSize
	return kept[start:min(len(kept), start+outboxPageSize)]
}

// Link is the outbox's address for page n with the same filter.
func (q outboxQuery) Link(n int) string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Channel != "" {
		v.Set("channel", q.Channel)
	}
	v.Set("page", strconv.Itoa(n))
	return "/outbox?" + v.Encode()
}

// outboxView is what the outbox template receives.
type outboxView struct {
	deliveryView
	Query outboxQuery
}

// outbox lists the messages of the tenant, newest first, filtered by
// channel and a search and paged: what was sent (with links, from the log
// senders) and what waits or failed, and why.
func (p *pages) outbox(w http.ResponseWriter, r *http.Request, v pageView) {
	v.Title, v.Nav = "Outbox", "outbox"
	ov, status := outboxView{deliveryView: deliveryView{pageView: v}, Query: parseOutboxQuery(r.URL.Query())}, http.StatusOK
	jobs, err := p.store.FindJobs(r.Context(), convene.JobFilter{Limit: outboxScan})
	switch {
	case convene.ErrorCode(err) == convene.EFORBIDDEN:
		status, ov.Error = http.StatusForbidden, "Only Tenant Admins can see the outbox."
	case err != nil:
		status, ov.Error = p.pageStatus(r, err)
	}
	ov.Jobs = ov.Query.pageOf(jobs)
	p.render(w, r, status, "outbox", ov)
}
