package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"convene"
	"convene/internal/storetest"
	"convene/internal/web"
)

// The session page's Discussion and Files (contract section 13) with two
// people signed in at once: Ada owns "Budget review" (and is a Tenant
// Admin), Jane collaborates, Sam only views.

// contentSession grants Jane Collaborate and Sam View only on "Budget
// review" and returns its page.
func contentSession(t *testing.T, a *app) (id int64, page string) {
	t.Helper()
	id = a.sessionIDs["Budget review"]
	ctx := convene.NewContextWithUser(context.Background(), a.Admin)
	for access, who := range map[convene.Access]string{convene.AccessCollaborate: a.jane.Email, convene.AccessView: a.sam.Email} {
		if _, err := a.Store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{id}, Contacts: []string{who}, Access: access}); err != nil {
			t.Fatalf("Grant: %v", err)
		}
	}
	return id, fmt.Sprintf("%s/sessions/%d", a.srv.URL, id)
}

// openSession signs login in and opens the session page, waiting for both
// lists to have loaded.
func openSession(b *browser, a *app, login, page string) {
	b.t.Helper()
	signIn(b, a, login)
	b.navigate(page)
	b.waitFor("the discussion and files loaded", `!document.querySelector("#discussion-state .spinner, #files-state .spinner")`+
		` && document.querySelector("#discussion-state") && document.querySelector("#files-state")`)
}

// messagesJS lists the discussion as "author: body", in page order.
const messagesJS = `Array.from(document.querySelectorAll("#discussion-list .message")).map(li => li.querySelector(".person-name").firstChild.textContent + ": " + li.querySelector(".message-body").textContent)`

func waitMessages(b *browser, want ...string) {
	b.t.Helper()
	b.waitFor("messages "+jsonList(want), fmt.Sprintf(`JSON.stringify(%s) === %q`, messagesJS, jsonList(want)))
}

// noControl fails unless no control with this role and name is there
// (hidden controls are no part of the accessibility tree).
func noControl(b *browser, role, name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(label(role, name), byRole(role, name), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatalf("looking for %s: %v", label(role, name), err)
	}
	if len(nodes) != 0 {
		b.t.Errorf("%s is on the page of someone who may not use it", label(role, name))
	}
}

// TestBrowserDiscussion: Jane posts (Enter sends) and Ada sees it without
// reload; Ada answers, and Jane's own message is not doubled when its
// event arrives; Ada deletes Jane's message (after a confirmation) and it
// goes from Jane's page too. Switched to View only mid-sentence, Jane
// keeps her text and loses the writing controls, live. Sam sees the discussion with no Message
// field, Send or Delete.
func TestBrowserDiscussion(t *testing.T) {
	a := newApp(t)
	sid, page := contentSession(t, a)
	ada := newBrowser(t, 1280, 900)
	openSession(ada, a, "ada@acme.test", page)
	ada.waitFor("the empty state", `document.querySelector("#discussion-state h2")?.textContent === "No messages yet"`)

	jane := newBrowser(t, 1280, 900)
	openSession(jane, a, "jane@acme.test", page)
	jane.typeInto("textbox", "Message", "Shall we start with the totals?")
	jane.key(kb.Enter)
	jane.waitFor("the field emptied", `document.getElementById("discussion-message").value === ""`)
	ada.waitFor("Jane's message, live", `document.querySelector("#discussion-list .message")`)
	waitMessages(ada, "Jane Doe: Shall we start with the totals?")

	ada.typeInto("textbox", "Message", "Yes, and the travel budget.")
	ada.click("button", "Send")
	waitMessages(ada, "Jane Doe: Shall we start with the totals?", "Ada Admin: Yes, and the travel budget.")
	// Ada's event came after Jane's: once Jane sees it, her own event has
	// arrived too, and her message still shows once.
	waitMessages(jane, "Jane Doe: Shall we start with the totals?", "Ada Admin: Yes, and the travel budget.")
	jane.screenshot("session-discussion")
	checkAccessible(t, jane.ctx, "session-discussion")

	// Jane may delete only her own message; Ada, the owner, any.
	noControl(jane, "button", "Delete message “Yes, and the travel budget.”")
	ada.click("button", "Delete message “Shall we start with the totals?”")
	ada.waitRole("group", "Delete message “Shall we start with the totals?”?")
	ada.click("button", "Delete")
	waitMessages(ada, "Ada Admin: Yes, and the travel budget.")
	waitMessages(jane, "Ada Admin: Yes, and the travel budget.")

	// Switched to View only while writing, Jane keeps her text, read-only,
	// and loses Send and Upload file; switched back, she can send it.
	jane.typeInto("textbox", "Message", "Half a thought")
	member := fmt.Sprintf("/api/v1/sessions/%d/members/%d", sid, a.jane.ID)
	adaAPI := a.apiAs("ada@acme.test")
	adaAPI.call("PUT", member, map[string]string{"access": "view"}, nil)
	jane.waitFor("Send gone, the text kept read-only", `document.getElementById("discussion-send").hidden`+
		` && document.getElementById("files-upload").hidden && document.getElementById("discussion-message").readOnly && document.getElementById("discussion-message").value === "Half a thought"`)
	noControl(jane, "button", "Send")
	noControl(jane, "button", "Upload file")
	adaAPI.call("PUT", member, map[string]string{"access": "collaborate"}, nil)
	jane.waitFor("Send back", `!document.getElementById("discussion-send").hidden && !document.getElementById("discussion-message").readOnly`)
	jane.click("button", "Send")
	waitMessages(ada, "Ada Admin: Yes, and the travel budget.", "Jane Doe: Half a thought")

	signOut(jane)
	sam := jane
	openSession(sam, a, "sam@acme.test", page)
	waitMessages(sam, "Ada Admin: Yes, and the travel budget.", "Jane Doe: Half a thought")
	noControl(sam, "textbox", "Message")
	noControl(sam, "button", "Send")
	noControl(sam, "button", "Delete message “Yes, and the travel budget.”")
	noControl(sam, "button", "Delete message “Half a thought”")
	noControl(sam, "button", "Upload file")
	sam.screenshot("session-discussion-view-only")
	checkAccessible(t, sam.ctx, "session-discussion-view-only")
}

// TestBrowserDiscussionByKeyboard: a discussion of 51 messages shows the
// latest 50, oldest first, under "Older messages"; the keyboard alone
// loads the first one, posts
// a message of two lines (Shift+Enter) and deletes it; Escape cancels the
// confirmation and gives the focus back.
func TestBrowserDiscussionByKeyboard(t *testing.T) {
	a := newApp(t)
	sid, page := contentSession(t, a)
	for i := 1; i <= 51; i++ {
		m := &convene.Message{SessionID: sid, Body: fmt.Sprintf("Point %d", i)}
		if err := a.Store.PostMessage(storetest.As(a.Admin), m); err != nil {
			t.Fatalf("PostMessage: %v", err)
		}
	}
	count := `document.querySelectorAll("#discussion-list .message").length`
	b := newBrowser(t, 1280, 900)
	openSession(b, a, "jane@acme.test", page)
	b.waitFor("the latest page", count+` === 50`)
	if got := eval[[]string](b, messagesJS+`.filter((_, i, all) => i < 1 || i === all.length - 1)`); len(got) != 2 || got[0] != "Ada Admin: Point 2" || got[1] != "Ada Admin: Point 51" {
		t.Errorf("the page shows %q first and last, want Point 2 and Point 51", got)
	}
	b.tabTo("Older messages", focusedIs("Older messages"), false)
	b.key(kb.Enter)
	b.waitFor("all 51, the button gone, the focus on the list", count+` === 51 && document.getElementById("discussion-more").hidden && document.activeElement.id === "discussion-list"`)
	if got := eval[string](b, messagesJS+`[0]`); got != "Ada Admin: Point 1" {
		t.Errorf("the first message is %q, want Point 1", got)
	}

	b.tabTo("the Message field", `document.activeElement.id === "discussion-message"`, false)
	b.key("First line")
	b.key(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift))
	b.key("second line" + kb.Enter)
	b.waitFor("Jane's message last", messagesJS+`.at(-1) === "Jane Doe: First line\nsecond line" && `+count+` === 52`)
	if got := eval[string](b, `document.activeElement.id`); got != "discussion-message" {
		t.Errorf("after sending, the focus is on %q, want the Message field", got)
	}

	remove := "Delete message “First line second line”"
	b.tabTo(remove, focusedIs(remove), true)
	b.key(kb.Enter)
	b.waitFor("Cancel focused", `document.activeElement.textContent === "Cancel"`)
	b.key(kb.Escape)
	b.waitFor("the focus back on Delete", focusedIs(remove))
	b.key(kb.Enter)
	b.waitFor("Cancel focused", `document.activeElement.textContent === "Cancel"`)
	b.key(kb.Tab)
	b.waitFor("Delete focused", `document.activeElement.textContent === "Delete" && document.activeElement.closest("[role=group]")`)
	b.key(kb.Enter)
	b.waitFor("Jane's message gone", count+` === 51`)
	b.waitFor("the focus in the Message field", `document.activeElement.id === "discussion-message"`)
}

// TestBrowserFiles: Jane uploads a PNG with the file input; its thumbnail
// shows, its link is the attachment route, and Ada sees it without
// reload. A file whose name is markup shows as text and downloads as an
// attachment. Sam sees the files, with no Upload file or Delete. Jane
// deletes the PNG and it goes from Ada's page.
func TestBrowserFiles(t *testing.T) {
	a := newApp(t)
	sid, page := contentSession(t, a)
	dir := t.TempDir()
	chart := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(chart, encodePNG(t, testImage(320, 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	ada := newBrowser(t, 1280, 900)
	openSession(ada, a, "ada@acme.test", page)
	ada.waitFor("the empty state", `document.querySelector("#files-state h2")?.textContent === "No files yet"`)

	jane := newBrowser(t, 1280, 900)
	openSession(jane, a, "jane@acme.test", page)
	if got := eval[string](jane, `document.getElementById("files-help").textContent`); got != "Any kind of file, up to 25 MB." {
		t.Errorf("the upload's help says %q, want the limit", got)
	}
	jane.waitRole("button", "Upload file")
	jane.do("choose chart.png", chromedp.SetUploadFiles(chromedp.CSS("#files-input"), []string{chart}))
	thumbLoaded := `(() => { const img = document.querySelector("#files-list img.file-thumb"); return img && img.complete && img.naturalWidth === 160 && img.naturalHeight === 100; })()`
	jane.waitFor("the thumbnail drawn", thumbLoaded)
	ada.waitFor("Jane's file with its thumbnail, live", thumbLoaded)
	janeAPI := a.apiAs("jane@acme.test")
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	janeAPI.call("GET", fmt.Sprintf("/api/v1/sessions/%d/files", sid), nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("files %+v, want chart.png alone", list.Items)
	}
	wantHref := fmt.Sprintf("/api/v1/sessions/%d/files/%s", sid, list.Items[0].ID)
	if got := eval[string](ada, `document.querySelector("#files-list a.file-name").getAttribute("href")`); got != wantHref {
		t.Errorf("download link %q, want the attachment route %q", got, wantHref)
	}
	if got := eval[string](ada, `document.querySelector("#files-list .file-sub").textContent`); !regexp.MustCompile(`^\d+ B · Jane Doe · \w+ \d+, \d{4}$`).MatchString(got) {
		t.Errorf("the file's line reads %q, want its size, uploader and date", got)
	}

	// A hostile name, uploaded through the API: kept as text.
	hostile := `<img src=x onerror=alert(1)>.html`
	form := upload(t, "file", "../../"+hostile, "text/html", []byte("<script>alert(1)</script>"))
	code, _, body := janeAPI.raw("POST", fmt.Sprintf("/api/v1/sessions/%d/files", sid), form.header[1], form.body.([]byte))
	if code != 201 {
		t.Fatalf("upload of the hostile name: %d %s", code, body)
	}
	ada.waitFor("the hostile name, as text", fmt.Sprintf(`document.querySelector("#files-list a.file-name")?.textContent === %q && !document.querySelector("#files-list a.file-name img")`, hostile))
	disposition := evalAwait[string](ada, `(async () => { const r = await fetch(document.querySelector("#files-list a.file-name").href); return r.headers.get("Content-Disposition") + "|" + r.headers.get("Content-Type"); })()`)
	if want := `attachment; filename="<img src=x onerror=alert(1)>.html"; filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html|application/octet-stream`; disposition != want {
		t.Errorf("the download answers %q, want %q", disposition, want)
	}
	eval[bool](ada, `(document.getElementById("files-card").scrollIntoView(), true)`)
	ada.screenshot("session-files")
	checkAccessible(t, ada.ctx, "session-files")

	signOut(jane)
	sam := jane
	openSession(sam, a, "sam@acme.test", page)
	sam.waitFor("both files", `document.querySelectorAll("#files-list .file").length === 2`)
	noControl(sam, "button", "Upload file")
	noControl(sam, "button", "Delete chart.png")
	signOut(sam)

	openSession(jane, a, "jane@acme.test", page)
	jane.click("button", "Delete chart.png")
	jane.waitRole("group", "Delete chart.png?")
	jane.click("button", "Delete")
	ada.waitFor("the PNG gone, live", fmt.Sprintf(`Array.from(document.querySelectorAll("#files-list a.file-name")).map(a => a.textContent).join() === %q`, hostile))
}

// TestBrowserFileTooLarge: the upload tells the server's limit before one
// picks a file, and a file over it is refused with a clear message before
// a byte is sent; one at the limit goes.
func TestBrowserFileTooLarge(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.MaxFileBytes = 1000 })
	_, page := contentSession(t, a)
	dir := t.TempDir()
	big, fits := filepath.Join(dir, "big.bin"), filepath.Join(dir, "fits.bin")
	for path, size := range map[string]int{big: 1001, fits: 1000} {
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, 375, 800)
	openSession(b, a, "jane@acme.test", page)
	if got := eval[string](b, `document.getElementById("files-help").textContent`); got != "Any kind of file, up to 1000 B." {
		t.Errorf("the upload's help says %q, want the limit", got)
	}
	b.do("choose big.bin", chromedp.SetUploadFiles(chromedp.CSS("#files-input"), []string{big}))
	b.waitFor("the refusal", `document.querySelector("#files-error [role=alert]")?.textContent === "big.bin is 1001 B; a file can be at most 1000 B. Nothing was uploaded."`)
	checkAccessible(t, b.ctx, "session-file-too-large")
	b.do("choose fits.bin", chromedp.SetUploadFiles(chromedp.CSS("#files-input"), []string{fits}))
	b.waitFor("fits.bin listed, the refusal gone", `document.querySelector("#files-list a.file-name")?.textContent === "fits.bin" && !document.querySelector("#files-error [role=alert]")`)
}
