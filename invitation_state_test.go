package convene_test

import (
	"testing"

	"convene"
)

func TestAcceptRefusal(t *testing.T) {
	tests := []struct {
		state convene.InvitationStatus
		want  string
	}{
		{convene.InvitationAccepted, "this invitation was already used"},
		{convene.InvitationRevoked, "this invitation was withdrawn, or replaced by a newer one"},
		{convene.InvitationExpired, "this invitation has expired; ask for a new one"},
		{convene.InvitationPending, "this invitation cannot be accepted"},
	}
	for _, tt := range tests {
		err := convene.AcceptRefusal(tt.state)
		if code, got := convene.ErrorCode(err), convene.ErrorMessage(err); code != convene.EUNAVAILABLE || got != tt.want {
			t.Errorf("AcceptRefusal(%s) = %s %q, want %s %q", tt.state, code, got, convene.EUNAVAILABLE, tt.want)
		}
	}
}

func TestSendRefusal(t *testing.T) {
	tests := []struct {
		name      string
		sentCount int // the invitation's now
		sent      int // the message's
		state     convene.InvitationStatus
		want      string
	}{
		{"resent since", 2, 1, convene.InvitationPending, "the invitation was sent again since: this message is replaced"},
		{"accepted", 1, 1, convene.InvitationAccepted, "the invitation is accepted"},
		{"revoked and resent", 2, 1, convene.InvitationRevoked, "the invitation is revoked"},
		{"expired", 1, 1, convene.InvitationExpired, "the invitation is expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := convene.SendRefusal(&convene.Invitation{SentCount: tt.sentCount}, tt.sent, tt.state)
			if code, got := convene.ErrorCode(err), convene.ErrorMessage(err); code != convene.EUNAVAILABLE || got != tt.want {
				t.Errorf("SendRefusal = %s %q, want %s %q", code, got, convene.EUNAVAILABLE, tt.want)
			}
		})
	}
}
