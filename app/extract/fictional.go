package extract

// IsFictionalPhone reports whether a number in E.164 lies in a range that
// a regulator reserves for fiction (drama, demos), which phone number
// metadata does not count as valid.
func IsFictionalPhone(e164 string) bool {
	return isFictional(e164)
}
