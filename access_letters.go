package convene

// AccessLetters writes the outcomes of one person in a bulk access change
// one letter each, as OutcomeLetters does for a multi-invite: v or c
// changed (from view or collaborate, the access an undo restores), n
// unchanged, x not a member, o owner.
func AccessLetters(outcomes []Outcome, before []Access) string {
	b := make([]byte, len(outcomes))
	for i, o := range outcomes {
		switch {
		case o == OutcomeChanged && before[i] == AccessCollaborate:
			b[i] = 'c'
		case o == OutcomeChanged:
			b[i] = 'v'
		case o == OutcomeNotMember:
			b[i] = 'x'
		case o == OutcomeOwner:
			b[i] = 'o'
		default:
			b[i] = 'n'
		}
	}
	return string(b)
}

// AccessOutcomesFromLetters reads what AccessLetters wrote; any other
// letter reads as unchanged.
func AccessOutcomesFromLetters(letters string) ([]Outcome, []Access) {
	out, before := make([]Outcome, len(letters)), make([]Access, len(letters))
	for i := range len(letters) {
		if was, changed := ChangedFrom(letters[i]); changed {
			out[i], before[i] = OutcomeChanged, was
			continue
		}
		switch letters[i] {
		case 'x':
			out[i] = OutcomeNotMember
		case 'o':
			out[i] = OutcomeOwner
		default:
			out[i] = OutcomeUnchanged
		}
	}
	return out, before
}

// ChangedFrom reads one letter of AccessLetters: whether the pair changed,
// and from which access.
func ChangedFrom(letter byte) (before Access, changed bool) {
	switch letter {
	case 'c':
		return AccessCollaborate, true
	case 'v':
		return AccessView, true
	}
	return "", false
}
