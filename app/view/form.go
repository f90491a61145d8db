package view

// Form is a submitted form as it is shown again: the values typed and the
// localised messages of each field, plus those of the form as a whole.
type Form struct {
	Values  map[string]string
	Errors  map[string][]string
	General []string
}

// Value returns what was typed in field.
func (f *Form) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.Values[field]
}

// Error returns the messages of field.
func (f *Form) Error(field string) []string {
	if f == nil {
		return nil
	}
	return f.Errors[field]
}

// HasErrors reports whether anything is wrong with the form.
func (f *Form) HasErrors() bool {
	return f != nil && (len(f.Errors) > 0 || len(f.General) > 0)
}

// Viewer is the signed-in member a page is rendered for.
type Viewer struct {
	ID        int64
	Pseudonym string
	Role      string
	// Investigates: the viewer may open the indicator graph now
	// (service.Investigations.MayInvestigate).
	Investigates bool
}

// Moderates reports whether the viewer may open the moderation pages.
func (v *Viewer) Moderates() bool {
	return v != nil && (v.Role == "moderator" || v.Role == "admin")
}

// Any reports whether one of fields has messages.
func (f *Form) Any(fields []string) bool {
	for _, field := range fields {
		if len(f.Error(field)) > 0 {
			return true
		}
	}
	return false
}

// HasFieldErrors reports whether a field (not the form as a whole) has
// messages: only then does a page ask to correct the fields marked below.
func (f *Form) HasFieldErrors() bool {
	if f == nil {
		return false
	}
	for field, msgs := range f.Errors {
		if field != "form" && len(msgs) > 0 {
			return true
		}
	}
	return false
}
