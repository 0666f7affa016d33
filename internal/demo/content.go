package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"convene"
)

// A session's content in the demo: every session has its agenda note; the
// ones people were invited to (the groups of grantSome) also hold a
// second note, a discussion and a few files, so that a collaborator and a
// viewer both open a session that is in use.

// maxDemoFile bounds the demo's own files, far below any deployment's limit.
const maxDemoFile = 1 << 20

// agenda is the first note of a session, in Markdown.
func agenda(title string) string {
	return fmt.Sprintf(`## %s

**Goal:** leave with decisions and owners, not only notes.

1. Where we stand (5 min)
2. Open questions, see the discussion
3. Next steps and who owns them

> Add what is missing before the meeting; edits show for everyone at once.

See the [team handbook](https://example.com/handbook) for how we run sessions.`, title)
}

const decisions = `## Decisions

- [x] Keep the scope as agreed last week
- [ ] Confirm the budget with Finance
- [ ] Share the summary with the wider team

| Item | Owner | Due |
|---|---|---|
| Draft plan | Maya | Friday |
| Review | Liam | Monday |`

// discussion is the messages of a session in use, in order; %s is the
// session's title.
var discussion = []string{
	"Welcome to %s! The agenda is in the notes.",
	"Thanks. I added two questions to the agenda.",
	"Can we move the review to Thursday? Monday is a holiday here.",
	"Thursday works for me.",
	"I uploaded the chart and the numbers from last quarter.",
	"Great, that answers my first question. **Decision:** we keep the scope.",
}

// seedContent writes the content of every session: the agenda for all,
// and the rest for those in use (busy), written by the owner and the
// people who may write there (writers, in turn).
func seedContent(ctx context.Context, store convene.Store, sessions []*convene.Session, owners map[int64]*convene.User, busy map[int64][]*convene.User) error {
	for _, s := range sessions {
		owner := convene.NewContextWithUser(ctx, owners[s.OwnerID])
		if err := store.CreateNote(owner, &convene.Note{SessionID: s.ID, Title: "Agenda", Body: agenda(s.Title)}); err != nil {
			return fmt.Errorf("demo note in %q: %w", s.Title, err)
		}
		if writers, ok := busy[s.ID]; ok {
			if err := seedInUse(ctx, store, s, owners[s.OwnerID], writers); err != nil {
				return fmt.Errorf("demo content of %q: %w", s.Title, err)
			}
		}
	}
	return nil
}

// seedInUse writes a session's decisions, discussion and files.
func seedInUse(ctx context.Context, store convene.Store, s *convene.Session, owner *convene.User, writers []*convene.User) error {
	people := append([]*convene.User{owner}, writers...)
	as := func(i int) context.Context { return convene.NewContextWithUser(ctx, people[i%len(people)]) }
	if err := store.CreateNote(as(1), &convene.Note{SessionID: s.ID, Title: "Decisions", Body: decisions}); err != nil {
		return err
	}
	for i, text := range discussion {
		body := text
		if strings.Contains(text, "%s") {
			body = fmt.Sprintf(text, s.Title)
		}
		if err := store.PostMessage(as(i), &convene.Message{SessionID: s.ID, Body: body}); err != nil {
			return err
		}
	}
	chart, err := chartPNG(s.ID)
	if err != nil {
		return err
	}
	files := []struct {
		name, contentType string
		data              []byte
	}{
		{"quarter-chart.png", "image/png", chart},
		{"numbers.csv", "text/csv", []byte("month,signups,churn\nJuly,412,3.1\nAugust,455,2.8\nSeptember,498,2.6\n")},
		{"summary.txt", "text/plain", []byte("Summary of " + s.Title + ": scope kept, budget to confirm, next review on Thursday.\n")},
	}
	for i, f := range files {
		file := &convene.File{SessionID: s.ID, Name: f.name, ContentType: f.contentType}
		if err := store.PutFile(as(i), file, bytes.NewReader(f.data), maxDemoFile); err != nil {
			return err
		}
	}
	return nil
}

// chartPNG draws a small bar chart (a few hundred bytes), its bars varied
// by seed so that the sessions' charts differ.
func chartPNG(seed int64) ([]byte, error) {
	const w, h, bars = 240, 140, 6
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(r image.Rectangle, c color.Color) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.Set(x, y, c)
			}
		}
	}
	fill(img.Bounds(), color.RGBA{248, 249, 252, 255})
	fill(image.Rect(16, h-16, w-16, h-14), color.RGBA{160, 166, 180, 255}) // the axis
	for i := range bars {
		height := 30 + int((seed*37+int64(i)*53)%80)
		x := 28 + i*34
		fill(image.Rect(x, h-16-height, x+22, h-16), color.RGBA{59, 91, 219, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("demo chart: %w", err)
	}
	return buf.Bytes(), nil
}
