package convene

// Apply returns s with the fields of upd that are set. The caller
// validates the result (Session.Validate).
func (upd SessionUpdate) Apply(s Session) *Session {
	if upd.Title != nil {
		s.Title = *upd.Title
	}
	if upd.Description != nil {
		s.Description = *upd.Description
	}
	if upd.Archived != nil {
		s.Archived = *upd.Archived
	}
	return &s
}
