package web_test

import "fmt"

// The rows of contract section 13's routes: owner and collaborators (the
// guest collaborates) write, viewers and Session Admins read, others get
// 404 as for the session.
var (
	placesRead  = [10]int{ok200, ok200, ok200, n404, ok200, ok200, ok200, u401, n404, u401}
	placesWrite = func(code int) [10]int { return [10]int{code, f403, code, n404, code, f403, code, u401, n404, u401} }
)

func notePath(e *env, version bool) (string, any) {
	s, n := e.note()
	path := fmt.Sprintf("/api/v1/sessions/%d/notes/%d", s.ID, n.ID)
	if !version {
		return path, nil
	}
	return path, headed{header: ifMatch(n.Version)}
}

func init() {
	matrix = append(matrix,
		row{route{"GET", "/api/v1/sessions/{id}/notes"}, onSession("/notes", nil), placesRead},
		row{route{"POST", "/api/v1/sessions/{id}/notes"}, onSession("/notes", map[string]string{"title": "Plan", "body": "**bold**"}), placesWrite(c201)},
		row{route{"GET", "/api/v1/sessions/{id}/notes/{note_id}"}, func(e *env) (string, any) { return notePath(e, false) }, placesRead},
		row{route{"PATCH", "/api/v1/sessions/{id}/notes/{note_id}"}, func(e *env) (string, any) {
			path, _ := notePath(e, false)
			return path, headed{body: map[string]string{"body": "changed"}, header: ifMatch(1)}
		}, placesWrite(ok200)},
		row{route{"DELETE", "/api/v1/sessions/{id}/notes/{note_id}"}, func(e *env) (string, any) { return notePath(e, true) }, placesWrite(n204)},

		row{route{"GET", "/api/v1/sessions/{id}/messages"}, onSession("/messages", nil), placesRead},
		row{route{"POST", "/api/v1/sessions/{id}/messages"}, onSession("/messages", map[string]string{"body": "hi"}), placesWrite(c201)},
		// The owner's message: its author and admins delete it; a
		// collaborator may not.
		row{route{"DELETE", "/api/v1/sessions/{id}/messages/{message_id}"}, func(e *env) (string, any) {
			s, m := e.message()
			return fmt.Sprintf("/api/v1/sessions/%d/messages/%d", s.ID, m.ID), nil
		}, [10]int{n204, f403, n204, n404, f403, f403, f403, u401, n404, u401}},

		row{route{"POST", "/api/v1/sessions/{id}/files"}, func(e *env) (string, any) {
			s := e.session()
			return fmt.Sprintf("/api/v1/sessions/%d/files", s.ID), upload(e.t, "file", "notes.txt", "text/plain", []byte("hello"))
		}, placesWrite(c201)},
		row{route{"GET", "/api/v1/sessions/{id}/files"}, onSession("/files", nil), placesRead},
		row{route{"GET", "/api/v1/sessions/{id}/files/{file_id}"}, func(e *env) (string, any) {
			s, f := e.storedFile("a.txt", "text/plain", []byte("abc"))
			return fmt.Sprintf("/api/v1/sessions/%d/files/%d", s.ID, f.ID), nil
		}, placesRead},
		// Beyond the contract: the thumbnail has the download's access.
		row{route{"GET", "/api/v1/sessions/{id}/files/{file_id}/thumbnail"}, func(e *env) (string, any) {
			s, f := e.storedFile("dot.png", "image/png", tinyPNG(e.t))
			return fmt.Sprintf("/api/v1/sessions/%d/files/%d/thumbnail", s.ID, f.ID), nil
		}, placesRead},
		row{route{"DELETE", "/api/v1/sessions/{id}/files/{file_id}"}, func(e *env) (string, any) {
			s, f := e.storedFile("a.txt", "text/plain", []byte("abc"))
			return fmt.Sprintf("/api/v1/sessions/%d/files/%d", s.ID, f.ID), nil
		}, placesWrite(n204)},

		row{route{"GET", "/api/v1/sessions/{id}/events"}, onSession("/events", nil), placesRead},
	)
}

// The write routes of section 13 in the malformed-request table.
func init() {
	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s, n := e.note()
		_, m := e.message()
		_, f := e.storedFile("a.txt", "text/plain", []byte("abc"))
		sid := map[string]string{"id": id(s.ID)}
		return []writeRoute{
			{route: route{"POST", "/api/v1/sessions/{id}/notes"}, params: sid, body: map[string]any{"title": "Plan", "body": "text"}, required: []string{"title"}},
			{route: route{"PATCH", "/api/v1/sessions/{id}/notes/{note_id}"}, params: map[string]string{"id": id(s.ID), "note_id": id(n.ID)}, body: map[string]any{"title": "New", "body": "new"}},
			{route: route{"DELETE", "/api/v1/sessions/{id}/notes/{note_id}"}, params: map[string]string{"id": id(s.ID), "note_id": id(n.ID)}},
			{route: route{"POST", "/api/v1/sessions/{id}/messages"}, params: sid, body: map[string]any{"body": "hi"}, required: []string{"body"}},
			{route: route{"DELETE", "/api/v1/sessions/{id}/messages/{message_id}"}, params: map[string]string{"id": id(m.SessionID), "message_id": id(m.ID)}},
			{route: route{"POST", "/api/v1/sessions/{id}/files"}, params: sid},
			{route: route{"DELETE", "/api/v1/sessions/{id}/files/{file_id}"}, params: map[string]string{"id": id(f.SessionID), "file_id": id(f.ID)}},
		}
	})
}
