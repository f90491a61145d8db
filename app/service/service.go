package service

import (
	"time"

	"forewarn/app/imaging"
	"forewarn/app/store"
	"forewarn/app/webhook"
)

// Services bundles the rule sets the HTTP surfaces call.
type Services struct {
	Warnings   *Warnings
	Users      *Users
	Instance   *Instance
	Importer   *Importer
	Forum      *Forum
	Moderation *Moderation
	Authoring  *Authoring
	Admin      *Admin
	Checker    *Checker
	Help       *Help
	APIKeys    *APIKeys
	// Investigations serves vetted investigators the indicator graph.
	Investigations *Investigations
	// Submissions are reports sent by partner apps.
	Submissions *Submissions
	// Webhooks are partners' signed notifications of published changes.
	Webhooks *Webhooks
	// Search finds published warnings and public reports.
	Search *Searcher
}

// Config holds the tunable rules of the community.
type Config struct {
	// TrustThreshold is how many approved posts a member needs before their
	// posts are published without waiting for a moderator.
	TrustThreshold int
	// EditWindow is how long authors may edit their posts.
	EditWindow time.Duration
	// FlagThreshold is the total weight of trusted members' flags that
	// hides a post until a moderator reviews it (see Moderation.flagWeight).
	FlagThreshold int
	// ImageDecoders is how many uploaded images may be decoded at the same
	// time (2 when zero): each may take up to imaging.DefaultLimits'
	// MaxDecodedBytes.
	ImageDecoders int
	// AuditRetention is how long the audit log keeps the texts before and
	// after a change; 0 keeps them.
	AuditRetention time.Duration
	// PasswordCost is the argon2id cost of new password hashes; zero is
	// OWASP's recommended minimum. Only tests lower it.
	PasswordCost PasswordCost
	// SearchCompactAfter is how many items of the search backlog, indexed
	// at once (a seed, a rebuild, the items that predate the index),
	// make the index compact itself afterwards (10,000 when zero).
	SearchCompactAfter int
}

// DefaultConfig returns the rules used when nothing is configured.
func DefaultConfig() Config {
	return Config{TrustThreshold: 3, EditWindow: 24 * time.Hour, FlagThreshold: 3, ImageDecoders: 2, AuditRetention: 365 * 24 * time.Hour}
}

// New wires the services over one store. now is the clock (time.Now in
// production, a fixed time in tests).
func New(st *store.Store, now func() time.Time, cfg Config) *Services {
	warnings := newWarnings(st, now)
	checker := &Checker{store: st, warnings: warnings}
	decoders := cfg.ImageDecoders
	if decoders <= 0 {
		decoders = 2
	}
	images := imaging.NewProcessor(imaging.DefaultLimits, decoders, 0)
	forum := &Forum{store: st, now: now, markdown: newPosterMarkdown(), warnings: warnings, checker: checker, cfg: cfg, images: images}
	return &Services{
		Warnings:       warnings,
		Users:          &Users{store: st, now: now, cost: cfg.PasswordCost},
		Instance:       &Instance{store: st},
		Importer:       &Importer{store: st, warnings: warnings, now: now},
		Forum:          forum,
		Moderation:     &Moderation{store: st, now: now, forum: forum, retention: cfg.AuditRetention},
		Authoring:      &Authoring{store: st, now: now, warnings: warnings, forum: forum, checker: checker},
		Admin:          &Admin{store: st, now: now, warnings: warnings, checker: checker},
		Checker:        checker,
		Help:           &Help{store: st},
		APIKeys:        &APIKeys{store: st, now: now},
		Investigations: &Investigations{store: st, now: now, checker: checker},
		Submissions:    &Submissions{store: st, forum: forum, now: now},
		Webhooks:       &Webhooks{store: st, now: now, Guard: &webhook.Guard{}},
		Search:         newSearcher(st, checker, now, cfg.SearchCompactAfter),
	}
}
