package storetest

import (
	"context"
	"testing"

	"convene"
)

// batchHistoryCalls calls the methods of access requests, the batch
// history and the users' import: on two access requests that a
// multi-invite of f's admin into s made, and on that batch.
func batchHistoryCalls(t *testing.T, f *Fixture, s *convene.Session) map[string]func(ctx context.Context) error {
	b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Access: convene.AccessView,
		Contacts: []string{"ann@later.test", "bob@later.test"}, Unregistered: convene.UnregisteredRequest})
	if len(b.Results) != 2 || b.Results[0].RequestID == 0 || b.Results[1].RequestID == 0 {
		t.Fatalf("request-mode results = %+v, want two access requests", b.Results)
	}
	toApprove, toDecline := []int64{b.Results[0].RequestID}, []int64{b.Results[1].RequestID}
	st := f.Store
	return map[string]func(ctx context.Context) error{
		"FindAccessRequests": func(ctx context.Context) error {
			_, _, err := st.FindAccessRequests(ctx, convene.AccessRequestFilter{})
			return err
		},
		"ApproveAccessRequests": func(ctx context.Context) error { _, err := st.ApproveAccessRequests(ctx, toApprove); return err },
		"DeclineAccessRequests": func(ctx context.Context) error { _, err := st.DeclineAccessRequests(ctx, toDecline); return err },
		"FindBatches":           func(ctx context.Context) error { _, _, err := st.FindBatches(ctx, convene.BatchFilter{}); return err },
		"BatchPairs":            func(ctx context.Context) error { _, err := st.BatchPairs(ctx, b.ID, convene.PairFilter{}); return err },
		"FindBatchPairs": func(ctx context.Context) error {
			_, _, err := st.FindBatchPairs(ctx, b.ID, convene.PairFilter{})
			return err
		},
		"RetryBatch": func(ctx context.Context) error {
			_, err := st.RetryBatch(ctx, b.ID, convene.UnregisteredSkip)
			return err
		},
		"ImportUsers": func(ctx context.Context) error {
			_, err := st.ImportUsers(ctx, []convene.ImportRow{{Row: 2, Email: "new@acme.test", Name: "New"}}, false)
			return err
		},
	}
}
