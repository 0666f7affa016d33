package web_test

// The Activity page and a batch's page in Chromium (contract section 14):
// the tabs by keyboard, a batch's pairs filtered, its CSV, "Retry
// skipped" and "Undo", the undo of a Change access batch, and the
// Invitations tab's resend and revoke.

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"convene"
)

// chooseOutcome picks an outcome in the batch page's filter, as a person
// choosing in the list would (the change event included).
func chooseOutcome(b *browser, value string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => {
		const el = document.getElementById("pair-outcome");
		el.value = %q;
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value === %[1]q;
	})()`, value))
}

// pairOutcomes are the outcomes of the rows the batch page shows.
const pairOutcomes = `Array.from(document.querySelectorAll("#pair-rows tr")).map(r => r.dataset.outcome)`

// batchSummary is a batch of GET /api/v1/invitations/batches.
type batchSummary struct {
	ID       string  `json:"id"`
	Kind     string  `json:"kind"`
	RetryOf  *string `json:"retry_of"`
	UndoneAt *string `json:"undone_at"`
}

func latestBatch(c *apiClient) batchSummary {
	c.t.Helper()
	var page struct{ Items []batchSummary }
	c.call("GET", "/api/v1/invitations/batches?limit=1", nil, &page)
	if len(page.Items) == 0 {
		c.t.Fatal("no batch in the history")
	}
	return page.Items[0]
}

// openBatch opens the batch of id from the Batches tab.
func openBatch(b *browser, a *app, id string) {
	b.t.Helper()
	b.navigate(a.srv.URL + "/activity")
	link := fmt.Sprintf(`#batch-rows a[href="/activity/batches/%s"]`, id)
	b.waitFor("the batch listed", `document.querySelector(`+fmt.Sprintf("%q", link)+`)`)
	b.doOnFreshNode("open the batch", chromedp.Click(chromedp.CSS(link), chromedp.NodeVisible))
	b.waitFor("the batch page", fmt.Sprintf(`location.pathname === "/activity/batches/%s" && document.querySelectorAll("#pair-rows tr").length > 0`, id))
}

// undoFromPage confirms "Undo" on the batch page shown and returns what
// the page then says the undo did.
func undoFromPage(b *browser) string {
	b.t.Helper()
	b.click("button", "Undo")
	b.waitRole("dialog", "Undo this batch?")
	checkAccessible(b.t, b.ctx, "the undo confirmation")
	b.click("button", "Undo batch")
	b.waitFor("the undo told", `document.querySelector("#batch-notice .notice-ok")`)
	if eval[bool](b, `!!document.getElementById("batch-undo")`) {
		b.t.Error("Undo is still offered after the undo")
	}
	return eval[string](b, `document.querySelector("#batch-notice .notice-ok").textContent`)
}

// TestBrowserBatchPage: a multi-invite of Jane, Sam and someone not
// registered yet into two sessions is listed under Batches; its page
// filters by outcome, downloads its CSV; once the skipped person is
// registered, "Retry skipped" makes a new batch of only them, marked as a
// retry; "Undo" of the first batch reverts its pairs.
func TestBrowserBatchPage(t *testing.T) {
	a := newApp(t)
	api := a.apiAs("ada@acme.test")
	sessions := []int64{a.sessionIDs["Budget review"], a.sessionIDs[sessionTitles[1]]}
	api.call("POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(sessions[0]), id(sessions[1])},
		"contacts": "jane@acme.test, sam@acme.test, nina@acme.test"}, nil)
	first := latestBatch(api)

	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.click("link", "Activity")
	row := fmt.Sprintf(`document.querySelector('#batch-rows tr[data-batch-id="%s"]')?.textContent`, first.ID)
	b.waitFor("the batch's row", row+`.includes("4 added · 1 skipped") && `+row+`.includes("3 people × 2 sessions") && `+row+`.includes("Ada Admin (you)")`)
	b.screenshot("activity-batches")
	checkAccessible(t, b.ctx, "activity-batches")

	openBatch(b, a, first.ID)
	b.waitFor("every pair", pairOutcomes+`.length === 5`)
	b.screenshot("batch-page")
	checkAccessible(t, b.ctx, "batch page")
	chooseOutcome(b, "skipped")
	b.waitFor("only the skipped entry", pairOutcomes+`.join() === "skipped" && document.getElementById("pair-rows").textContent.includes("nina@acme.test")`)
	chooseOutcome(b, "")
	b.typeInto("searchbox", "Search people and sessions", "budget")
	b.waitFor("the Budget review pairs", pairOutcomes+`.join() === "added,added"`)
	b.do("clear the search", clearField("#pair-search"))
	b.waitFor("every pair again", pairOutcomes+`.length === 5`)

	// "Download CSV" is a link to the pairs as text/csv.
	csv := evalAwait[string](b, `fetch(document.getElementById("batch-csv").href).then(async r => r.headers.get("Content-Type") + "\n" + await r.text())`)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if !strings.HasPrefix(lines[0], "text/csv") || len(lines) < 2 || lines[1] != "contact,status,user_id,session_id,session_title,outcome,reason" {
		t.Fatalf("Download CSV answered %q, want text/csv with the header", csv)
	}
	if len(lines) != 7 {
		t.Errorf("the CSV has %d lines after its type, want the header and 5 pairs:\n%s", len(lines)-1, csv)
	}

	// Once Nina is registered, "Retry skipped" adds her as a new batch.
	nina := a.user("Nina New", "nina@acme.test", "", convene.RoleMember)
	b.click("button", "Retry skipped")
	b.waitFor("the retry's page", fmt.Sprintf(`location.pathname !== "/activity/batches/%s" && document.querySelectorAll("#pair-rows tr").length === 2`, first.ID))
	retry := latestBatch(api)
	if retry.RetryOf == nil || *retry.RetryOf != first.ID {
		t.Fatalf("the newest batch %+v, want a retry of %s", retry, first.ID)
	}
	if got := eval[string](b, `document.querySelector(".page-head p").textContent`); !strings.Contains(got, "A retry of the skipped entries of batch "+first.ID) {
		t.Errorf("the retry's page says %q, not that it retried batch %s", got, first.ID)
	}
	if eval[bool](b, `!!document.getElementById("batch-retry")`) {
		t.Error(`"Retry skipped" is offered on a batch that skipped nobody`)
	}
	want := map[string]string{"Budget review/Nina New": "collaborate", sessionTitles[1] + "/Nina New": "collaborate"}
	if got := api.grants(a, nina); !maps.Equal(got, want) {
		t.Fatalf("Nina's grants after the retry = %v, want %v", got, want)
	}

	// Undo the first batch: Jane and Sam lose what it gave; Nina's retry stays.
	openBatch(b, a, first.ID)
	if got, want := undoFromPage(b), "Undone: 4 removed, 0 set back to View only, 0 kept because they changed since."; got != want {
		t.Errorf("after Undo the page says %q, want %q", got, want)
	}
	if got := api.grants(a, a.jane, a.sam); len(got) != 0 {
		t.Errorf("grants of Jane and Sam after the undo = %v, want none", got)
	}
	if got := api.grants(a, nina); !maps.Equal(got, want) {
		t.Errorf("Nina's grants after undoing the first batch = %v, want %v", got, want)
	}
	b.navigate(fmt.Sprintf("%s/activity/batches/%s", a.srv.URL, first.ID))
	b.waitFor("the undone state", `document.getElementById("batch-notice").textContent.includes("This batch was undone on") && !document.getElementById("batch-undo")`)
	b.navigate(a.srv.URL + "/activity")
	b.waitFor("the Undone mark", row+`?.includes("Undone")`)
	retryRow := fmt.Sprintf(`document.querySelector('#batch-rows tr[data-batch-id="%s"]')?.textContent`, retry.ID)
	b.waitFor("the retry's mark", retryRow+`?.includes("Retry of batch `+first.ID+`")`)
	checkAccessible(t, b.ctx, "activity-batches-marked")
}

// TestBrowserUndoAccessBatch lowers Jane, Phil and Sam to View only in
// three sessions with a bulk access change, then undoes it from its
// batch page on Activity: they collaborate again.
func TestBrowserUndoAccessBatch(t *testing.T) {
	a := newApp(t)
	ids := []int64{a.sessionIDs[sessionTitles[1]], a.sessionIDs[sessionTitles[2]], a.sessionIDs[sessionTitles[3]]}
	people := []*convene.User{a.jane, a.phil, a.sam}
	_, err := a.Store.Grant(convene.NewContextWithUser(context.Background(), a.Admin),
		convene.GrantRequest{SessionIDs: ids, Contacts: []string{a.jane.Email, a.phil.Phone, a.sam.Email}, Access: convene.AccessCollaborate})
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	api := a.apiAs("ada@acme.test")
	api.call("POST", "/api/v1/access/bulk", map[string]any{"session_ids": []string{id(ids[0]), id(ids[1]), id(ids[2])},
		"contacts": []string{a.jane.Email, a.phil.Phone, a.sam.Email}, "action": "view"}, nil)
	lowered := latestBatch(api)
	if lowered.Kind != "access" {
		t.Fatalf("the newest batch is of kind %q, want access", lowered.Kind)
	}
	collaborate := map[string]string{}
	for _, s := range sessionTitles[1:4] {
		for _, u := range people {
			collaborate[s+"/"+u.Name] = "collaborate"
		}
	}

	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	openBatch(b, a, lowered.ID)
	if got := eval[string](b, `document.getElementById("batch-title").textContent`); !strings.HasPrefix(got, "Change access") {
		t.Errorf("the batch page's title is %q, want Change access", got)
	}
	chooseOutcome(b, "changed")
	b.waitFor("the 9 changed pairs", pairOutcomes+`.length === 9 && `+pairOutcomes+`.every(o => o === "changed")`)
	if got, want := undoFromPage(b), "Undone: 9 restored to the access they had before, 0 kept because they changed since."; got != want {
		t.Errorf("after Undo the page says %q, want %q", got, want)
	}
	if got := api.grants(a, people...); !maps.Equal(got, collaborate) {
		t.Errorf("grants after undoing the access change = %v, want %v", got, collaborate)
	}
}

// TestBrowserActivityTabs moves between the tabs with the arrow keys,
// Home and End, each panel shown in its turn and named in the address;
// the audit log reads as sentences.
func TestBrowserActivityTabs(t *testing.T) {
	a := newApp(t)
	a.apiAs("ada@acme.test").call("POST", "/api/v1/invitations/bulk", map[string]any{
		"session_ids": []string{id(a.sessionIDs["Budget review"])}, "contacts": "jane@acme.test", "access": "view"}, nil)
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.navigate(a.srv.URL + "/activity")
	b.waitFor("the Batches tab selected", `document.getElementById("tab-batches").getAttribute("aria-selected") === "true"`)
	b.tabTo("the Batches tab", `document.activeElement.id === "tab-batches"`, false)

	shown := func(tab string) string {
		return fmt.Sprintf(`document.activeElement.id === "tab-%[1]s" && document.getElementById("tab-%[1]s").getAttribute("aria-selected") === "true"
			&& !document.getElementById("panel-%[1]s").hidden && new URLSearchParams(location.search).get("tab") === "%[1]s"
			&& document.querySelectorAll("[role=tabpanel]:not([hidden])").length === 1`, tab)
	}
	b.key(kb.ArrowRight)
	b.waitFor("the Audit log", shown("audit"))
	b.waitFor("the audit sentence", `Array.from(document.querySelectorAll("#audit-rows td")).some(td => td.textContent === "Ada Admin (you) gave Jane Doe View only in Budget review")`)
	checkAccessible(t, b.ctx, "activity-audit")
	b.key(kb.ArrowRight)
	b.waitFor("Invitations", shown("invitations"))
	b.key(kb.End)
	b.waitFor("Access requests", shown("requests"))
	b.key(kb.Home)
	b.waitFor("Batches", shown("batches"))
	b.key(kb.ArrowLeft)
	b.waitFor("Access requests, wrapping around", shown("requests"))

	// A link from an audit line keeps only that person's events.
	b.navigate(fmt.Sprintf("%s/activity?tab=audit&user=%d", a.srv.URL, a.jane.ID))
	b.waitFor("the filter", `document.getElementById("audit-filter").textContent.includes("Only the events of the person Jane Doe")`)
	b.waitFor("Jane's events only", `document.querySelectorAll("#audit-rows tr").length > 0 && Array.from(document.querySelectorAll("#audit-rows tr")).every(r => r.textContent.includes("Jane Doe"))`)
}

// TestBrowserInvitationsTab resends one pending guest invitation and
// revokes another, after confirming, from the Invitations tab.
func TestBrowserInvitationsTab(t *testing.T) {
	a := newApp(t)
	api := a.apiAs("ada@acme.test")
	budget := a.sessionIDs["Budget review"]
	api.call("POST", fmt.Sprintf("/api/v1/sessions/%d/invitations", budget), map[string]any{"contacts": "gus@guest.test, gail@guest.test", "access": "view"}, nil)
	// A guest invitation of a multi-invite: one link for three sessions.
	three := []string{}
	for _, title := range sessionTitles[:3] { // "Budget review" first
		three = append(three, fmt.Sprint(a.sessionIDs[title]))
	}
	api.call("POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": three, "contacts": "gwen@guest.test", "unregistered": "guest"}, nil)

	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.navigate(a.srv.URL + "/activity?tab=invitations")
	b.waitFor("three pending invitations", `document.getElementById("invitations-count").textContent === "3 pending invitations."`)
	checkAccessible(t, b.ctx, "activity-invitations")
	b.waitRole("button", "Resend to gwen@guest.test (Budget review and 2 more sessions)")

	b.click("button", "Resend to gus@guest.test (Budget review)")
	b.waitFor("the resend told", `document.getElementById("toast")?.textContent === "A new link was sent to gus@guest.test; the old one no longer works."`)

	b.click("button", "Revoke gail@guest.test (Budget review)")
	b.waitRole("dialog", "Revoke this invitation?")
	b.click("button", "Revoke invitation")
	b.waitFor("the row gone", `document.getElementById("invitations-count").textContent === "2 pending invitations." && !document.getElementById("revoke-dialog").open`)

	var list struct {
		Items []struct {
			Contact   string `json:"contact"`
			SentCount int    `json:"sent_count"`
		} `json:"items"`
	}
	api.call("GET", "/api/v1/invitations", nil, &list)
	sent := map[string]int{}
	for _, it := range list.Items {
		sent[it.Contact] = it.SentCount
	}
	if len(list.Items) != 2 || sent["gus@guest.test"] != 2 || sent["gwen@guest.test"] != 1 {
		t.Errorf("pending invitations after resend and revoke = %+v, want gus's, sent twice, and gwen's", list.Items)
	}
}

// setField puts text into the field css as a person pasting it would: the
// value, then an input event.
func setField(css, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.focus();
		el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true}));
	})()`, css, text))
}

// TestBrowserImportUsers: a file with a bad row, chosen in "Import
// users", previews as that row's problem; corrected in the text, its
// preview lists each row; Import creates the new people, leaves Jane as
// she was, and the directory shows them.
func TestBrowserImportUsers(t *testing.T) {
	a := newApp(t)
	file := filepath.Join(t.TempDir(), "people.csv")
	bad := "\ufeffemail;name;role\r\nnina@acme.test;Nina New;member\r\nnot-an-email;Bad Row;member\r\njane@acme.test;Jane Doe;member\r\n"
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 900)
	signIn(b, a, "ada@acme.test")
	b.click("link", "Users")
	// The page's module is running once it has shown the directory.
	b.waitFor("the directory", `document.getElementById("users-table").getAttribute("aria-busy") === "false"`)
	b.click("button", "Import users")
	b.waitRole("dialog", "Import users")
	b.waitRole("textbox", "Paste CSV")
	b.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}))
	b.waitFor("the bad row told", `document.querySelector("#import-result .notice-error")?.textContent.includes("Row 3, email:")`)
	if !eval[bool](b, `document.getElementById("import-submit").disabled`) {
		t.Error("Import is enabled while the file has a problem")
	}
	checkAccessible(t, b.ctx, "import-users-problem")

	fixed := strings.Replace(strings.TrimPrefix(bad, "\ufeff"), "not-an-email", "omar@acme.test", 1)
	b.do("correct the text", setField("#import-text", fixed))
	b.click("button", "Preview")
	b.waitFor("the preview", `Array.from(document.querySelectorAll("#import-rows tr")).map(r => r.dataset.outcome).join() === "created,created,unchanged"`)
	if got := eval[string](b, `document.querySelector("#import-rows tr:nth-child(2)").textContent`); !strings.Contains(got, "Bad Row") || !strings.Contains(got, "omar@acme.test") {
		t.Errorf("the preview's second row reads %q, want Bad Row and omar@acme.test", got)
	}
	b.screenshot("import-users-preview")
	checkAccessible(t, b.ctx, "import-users-preview")
	b.click("button", "Import")
	b.waitFor("the result", `document.querySelector("#import-result .notice-ok")?.textContent === "Imported: 2 created, 1 unchanged (already registered)."`)
	b.key(kb.Escape)
	b.waitRole("combobox", "Role for Nina New")
	b.waitRole("combobox", "Role for Bad Row")
}
