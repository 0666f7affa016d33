package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestSessionsTotal: the list answers how many sessions match q for the
// caller (contract section 15), whatever the page size.
func TestSessionsTotal(t *testing.T) {
	e := newEnv(t, unlimited)
	for _, who := range []string{"owner", "owner", "owner", "admin"} {
		wantStatus(t, e.do(who, "POST", "/api/v1/sessions", map[string]string{"title": "Retro of " + who}), http.StatusCreated, "create")
	}
	for _, tt := range []struct {
		persona, q string
		want       int
	}{{"owner", "RETRO", 3}, {"admin", "retro", 4}, {"sadmin", "of admin", 1}, {"member", "retro", 0}, {"admin", "zzz", 0}} {
		var page struct {
			Items       []map[string]any
			Total       *int  `json:"total"`
			TotalCapped *bool `json:"total_capped"`
		}
		e.do(tt.persona, "GET", "/api/v1/sessions?limit=1&q="+url.QueryEscape(tt.q), nil).decode(t, &page)
		if page.Total == nil || *page.Total != tt.want || page.TotalCapped == nil || *page.TotalCapped || len(page.Items) != min(tt.want, 1) {
			t.Errorf("%s searching %q: %d items, total %v capped %v; want total %d", tt.persona, tt.q, len(page.Items), page.Total, page.TotalCapped, tt.want)
		}
	}
}
