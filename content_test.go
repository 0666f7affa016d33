package convene_test

import (
	"strings"
	"testing"

	"convene"
)

// TestContentValidate checks the limits of notes, messages and files of
// contract section 13, at and one past each bound.
func TestContentValidate(t *testing.T) {
	tests := []struct {
		name string
		v    interface{ Validate() error }
		ok   bool
	}{
		{"note", &convene.Note{Title: "Plan", Body: "# Hi"}, true},
		{"note title 200", &convene.Note{Title: strings.Repeat("é", 200)}, true},
		{"note title 201", &convene.Note{Title: strings.Repeat("é", 201)}, false},
		{"note title blank", &convene.Note{Title: "  "}, false},
		{"note title two lines", &convene.Note{Title: "a\nb"}, false},
		{"note body 100000", &convene.Note{Title: "t", Body: strings.Repeat("x", 100_000)}, true},
		{"note body 100001", &convene.Note{Title: "t", Body: strings.Repeat("x", 100_001)}, false},
		{"note body NUL", &convene.Note{Title: "t", Body: "a\x00"}, false},
		{"message", &convene.Message{Body: "hello"}, true},
		{"message empty", &convene.Message{Body: " \n"}, false},
		{"message 10000", &convene.Message{Body: strings.Repeat("x", 10_000)}, true},
		{"message 10001", &convene.Message{Body: strings.Repeat("x", 10_001)}, false},
		{"file", &convene.File{Name: "report.pdf", ContentType: "application/pdf"}, true},
		{"file no type", &convene.File{Name: "x"}, true},
		{"file path", &convene.File{Name: "../../x"}, false},
		{"file dots", &convene.File{Name: ".."}, false},
		{"file control", &convene.File{Name: "a\rb"}, false},
		{"file bad type", &convene.File{Name: "x", ContentType: "not a type"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && convene.ErrorCode(err) != convene.EINVALID {
				t.Errorf("code = %q, want %q", convene.ErrorCode(err), convene.EINVALID)
			}
		})
	}
}

// TestBaseName checks that an uploaded name keeps only its last element.
func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{"../../x": "x", `C:\tmp\a.txt`: "a.txt", "b.png": "b.png", "dir/": "dir"} {
		if got := convene.BaseName(in); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckVersion checks the two refusals of optimistic concurrency.
func TestCheckVersion(t *testing.T) {
	for _, tt := range []struct {
		expected, current int64
		code              string
	}{{3, 3, ""}, {2, 3, convene.EPRECONDITION}, {0, 3, convene.EVERSIONREQUIRED}, {-1, 3, convene.EVERSIONREQUIRED}} {
		if got := convene.ErrorCode(convene.CheckVersion(tt.expected, tt.current)); got != tt.code {
			t.Errorf("CheckVersion(%d, %d) = %q, want %q", tt.expected, tt.current, got, tt.code)
		}
	}
}

// TestMayDeleteMessage checks who may delete a message of author 20.
func TestMayDeleteMessage(t *testing.T) {
	s := &convene.Session{ID: 1, TenantID: 1}
	actor := func(id int64, role convene.Role) convene.Actor {
		return convene.Actor{TenantID: 1, User: &convene.User{ID: id, TenantID: 1, Role: role}}
	}
	tests := []struct {
		name   string
		actor  convene.Actor
		access convene.Access
		ok     bool
	}{
		{"author collaborating", actor(20, convene.RoleMember), convene.AccessCollaborate, true},
		{"author as guest", actor(20, convene.RoleGuest), convene.AccessCollaborate, true},
		{"author now view only", actor(20, convene.RoleMember), convene.AccessView, false},
		{"another collaborator", actor(21, convene.RoleMember), convene.AccessCollaborate, false},
		{"owner", actor(22, convene.RoleMember), convene.AccessOwner, true},
		{"tenant admin", actor(23, convene.RoleAdmin), "", true},
		{"session admin", actor(24, convene.RoleSessionAdmin), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := convene.MayDeleteMessage(tt.actor, s, tt.access, 20)
			if (err == nil) != tt.ok {
				t.Fatalf("MayDeleteMessage = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && convene.ErrorCode(err) != convene.EFORBIDDEN {
				t.Errorf("code = %q, want forbidden", convene.ErrorCode(err))
			}
		})
	}
}
