package model

// Role is what a user may do.
type Role string

// Roles, from least to most trusted.
const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleMember || r == RoleModerator || r == RoleAdmin
}

// PostStatus is the moderation state of a report or a reply.
type PostStatus string

// Post states.
const (
	PostPending   PostStatus = "pending"
	PostPublished PostStatus = "published"
	PostRejected  PostStatus = "rejected"
	PostHidden    PostStatus = "hidden"
	PostLocked    PostStatus = "locked"
)

// Severity is how dangerous a warning says a pattern is.
type Severity string

// Severities, from mild to grave.
const (
	SeverityInfo    Severity = "info"
	SeverityCaution Severity = "caution"
	SeverityDanger  Severity = "danger"
)

// Severities lists every severity, mildest first.
var Severities = []Severity{SeverityInfo, SeverityCaution, SeverityDanger}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool {
	return s == SeverityInfo || s == SeverityCaution || s == SeverityDanger
}

// WarningStatus is the life-cycle state of a warning.
type WarningStatus string

// Warning states.
const (
	WarningDraft     WarningStatus = "draft"
	WarningInReview  WarningStatus = "in_review"
	WarningPublished WarningStatus = "published"
	WarningRetracted WarningStatus = "retracted"
	WarningExpired   WarningStatus = "expired"
)

// Public reports whether a warning in this state may be shown to visitors.
func (s WarningStatus) Public() bool {
	return s == WarningPublished || s == WarningRetracted || s == WarningExpired
}

// CountryRole says how a country takes part in an offer.
type CountryRole string

// Country roles along a route.
const (
	CountryOrigin      CountryRole = "origin"
	CountryTransit     CountryRole = "transit"
	CountryDestination CountryRole = "destination"
)

// Valid reports whether r is a known country role.
func (r CountryRole) Valid() bool {
	return r == CountryOrigin || r == CountryTransit || r == CountryDestination
}

// IndicatorKind is what sort of trace an indicator is.
type IndicatorKind string

// Indicator kinds.
const (
	IndicatorPhone       IndicatorKind = "phone"
	IndicatorEmail       IndicatorKind = "email"
	IndicatorLink        IndicatorKind = "link"
	IndicatorSocial      IndicatorKind = "social"
	IndicatorCompany     IndicatorKind = "company"
	IndicatorBankAccount IndicatorKind = "bank_account"
)

// Valid reports whether k is a known indicator kind.
func (k IndicatorKind) Valid() bool {
	switch k {
	case IndicatorPhone, IndicatorEmail, IndicatorLink, IndicatorSocial, IndicatorCompany, IndicatorBankAccount:
		return true
	}
	return false
}

// SeenOn is where an offer was seen.
type SeenOn string

// Places an offer is seen.
const (
	SeenFacebook  SeenOn = "facebook"
	SeenInstagram SeenOn = "instagram"
	SeenWhatsApp  SeenOn = "whatsapp"
	SeenTelegram  SeenOn = "telegram"
	SeenTikTok    SeenOn = "tiktok"
	SeenWebsite   SeenOn = "website"
	SeenInPerson  SeenOn = "in_person"
	SeenOther     SeenOn = "other"
)

// SeenOnPlaces lists every place an offer can be seen, in display order.
var SeenOnPlaces = []SeenOn{SeenFacebook, SeenInstagram, SeenWhatsApp, SeenTelegram, SeenTikTok, SeenWebsite, SeenInPerson, SeenOther}

// Valid reports whether s is a known place.
func (s SeenOn) Valid() bool {
	for _, p := range SeenOnPlaces {
		if s == p {
			return true
		}
	}
	return false
}

// Public reports whether a post in this state may be shown to visitors.
func (s PostStatus) Public() bool {
	return s == PostPublished || s == PostLocked
}

// FlagReason is why someone flagged a post.
type FlagReason string

// Flag reasons.
const (
	FlagSpam         FlagReason = "spam"
	FlagPersonalData FlagReason = "personal_data"
	FlagFalse        FlagReason = "false_or_defamatory"
	FlagDangerous    FlagReason = "dangerous"
	FlagOffTopic     FlagReason = "off_topic"
	FlagOther        FlagReason = "other"
)

// FlagStatus is where a flag stands.
type FlagStatus string

// Flag states.
const (
	FlagOpen      FlagStatus = "open"
	FlagUpheld    FlagStatus = "upheld"
	FlagDismissed FlagStatus = "dismissed"
)

// RevisionStatus is the state of a proposed change to a published warning.
type RevisionStatus string

// Revision states.
const (
	RevisionPending    RevisionStatus = "pending"
	RevisionApproved   RevisionStatus = "approved"
	RevisionRejected   RevisionStatus = "rejected"
	RevisionSuperseded RevisionStatus = "superseded"
)
