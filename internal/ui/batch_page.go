package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"convene"
	"convene/internal/httpd"
)

// batchView is one batch as its page shows it above its pairs (batch.js
// lists the pairs, retries and undoes through the API): what it was, who
// sent it when, its counts, and what can still be done with it.
type batchView struct {
	ID        string
	Kind      string // "grant" (Invite Users) or "access" (Change access)
	KindLabel string
	What      string // its access, or an access change's action, in words
	Actor     string
	CreatedAt time.Time
	People    int
	Sessions  int
	Counts    []countTile
	Outcomes  []outcomeOption // the filter's choices, in the order of the tiles
	UndoneAt  time.Time
	RetryOf   string
	// Retryable: a multi-invite that skipped someone whom a retry may now
	// find (convene.Retryable), so "Retry skipped" is offered.
	Retryable bool
}

// countTile is one count of a batch, "1,024 added".
type countTile struct {
	Key   string
	Label string
	N     int
}

type outcomeOption struct{ Value, Label string }

// batch is a batch's page, for whoever may see it (its author, Session and
// Tenant Admins); anyone else reads "not found", as the API answers.
func (p *pages) batch(w http.ResponseWriter, r *http.Request, v pageView) {
	notFound := func(err error) {
		p.fail(w, r, v, err, "Batch not found", "This batch does not exist, or it is not yours to see.")
	}
	id, ok := httpd.ParseID(r.PathValue("id"))
	if !ok {
		notFound(convene.Errorf(convene.ENOTFOUND, "batch %q", r.PathValue("id")))
		return
	}
	b, err := p.store.FindBatch(r.Context(), id)
	if err != nil {
		notFound(err)
		return
	}
	bv := newBatchView(b, p.actorName(r, v, b.ActorID))
	v.Title, v.Nav, v.Script, v.Batch = bv.KindLabel+" batch "+bv.ID, "activity", "batch.js", bv
	p.render(w, r, http.StatusOK, "batch", v)
}

// actorName names who sent a batch: the viewer, someone of the tenant, or
// the system; a name that cannot be read is left out rather than failing
// the page.
func (p *pages) actorName(r *http.Request, v pageView, id int64) string {
	switch {
	case id == 0:
		return "Convene"
	case v.Me != nil && v.Me.ID == id:
		return v.Me.Name + " (you)"
	}
	u, err := p.store.FindUserByID(r.Context(), id)
	if err != nil {
		return "someone"
	}
	return u.Name
}

var (
	grantTiles  = []countTile{{Key: "added"}, {Key: "upgraded"}, {Key: "unchanged"}, {Key: "skipped"}}
	accessTiles = []countTile{{Key: "changed"}, {Key: "unchanged"}, {Key: "not_member", Label: "not member"}, {Key: "owner"}, {Key: "skipped"}}
	actionWords = map[convene.AccessAction]string{convene.ActionView: "set to View only",
		convene.ActionCollaborate: "set to Collaborate", convene.ActionRemove: "removed from sessions"}
)

func newBatchView(b *convene.Batch, actor string) *batchView {
	bv := &batchView{ID: httpd.FormatID(b.ID), Actor: actor, CreatedAt: b.CreatedAt, People: b.People,
		Sessions: len(b.SessionIDs), UndoneAt: b.UndoneAt}
	if b.RetryOf != 0 {
		bv.RetryOf = httpd.FormatID(b.RetryOf)
	}
	tiles := grantTiles
	if b.Action != "" {
		bv.Kind, bv.KindLabel, bv.What, tiles = "access", "Change access", actionWords[b.Action], accessTiles
	} else {
		bv.Kind, bv.KindLabel, bv.What = "grant", "Invite Users", "given "+accessLabel(b.Access)
	}
	counts := map[string]int{"added": b.Counts.Added, "upgraded": b.Counts.Upgraded, "unchanged": b.Counts.Unchanged,
		"skipped": b.Counts.Skipped, "changed": b.Counts.Changed, "not_member": b.Counts.NotMember, "owner": b.Counts.Owner}
	for _, t := range tiles {
		if t.Label == "" {
			t.Label = t.Key
		}
		t.N = counts[t.Key]
		bv.Counts = append(bv.Counts, t)
		bv.Outcomes = append(bv.Outcomes, outcomeOption{Value: t.Key, Label: strings.ToUpper(t.Label[:1]) + t.Label[1:]})
	}
	for _, res := range b.Results {
		if bv.Kind == "grant" && convene.Retryable(res.Status) {
			bv.Retryable = true
			break
		}
	}
	return bv
}

// thousands writes n with thousands separators, as every count of the
// dashboard reads: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
