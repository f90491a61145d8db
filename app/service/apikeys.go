package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// The scopes an API key may hold.
const (
	ScopeRead        = "read"
	ScopeSubmit      = "submit"
	ScopeWebhooks    = "webhooks"
	ScopeInvestigate = "investigate"
)

// APIScopes lists every scope, in the order the admin pages show them.
var APIScopes = []string{ScopeRead, ScopeSubmit, ScopeWebhooks, ScopeInvestigate}

// Key rate limits, in requests per minute.
const (
	// DefaultKeyRateLimit is a key's limit when none is given: the
	// anonymous limit of the check, counted per key instead of per address.
	DefaultKeyRateLimit = 120
	maxKeyRateLimit     = 100000
)

// keyTouchInterval is how stale a key's last-use time may get: a key used
// all day costs one write a minute, not one per request.
const keyTouchInterval = time.Minute

// The shape of a key: "fw_", a prefix of prefixChars and "_", then a secret
// of secretChars, all lower-case base32 (RFC 4648 alphabet). The secret
// holds 320 random bits, the prefix 40 more.
const (
	keyStart    = "fw_"
	prefixBytes = 5
	prefixChars = 8
	secretBytes = 40
	secretChars = 64
	keyLength   = len(keyStart) + prefixChars + 1 + secretChars
)

var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// APIKeys holds the rules of partner organisations' API keys: issuing,
// listing and revoking them (admins, or the operator on the command line),
// and recognising a key on a request.
type APIKeys struct {
	store *store.Store
	now   func() time.Time
}

// KeyInput is what an admin gives for a new key; Organisation is an ID,
// Scopes a comma-separated list, RateLimit requests per minute (empty for
// DefaultKeyRateLimit).
type KeyInput struct {
	Organisation string
	Name         string
	Scopes       string
	RateLimit    string
}

// IssuedKey is a new key: Key is shown once and never stored.
type IssuedKey struct {
	Key string
	model.APIKey
}

// KeyIdentity is who a request made with a valid key acts for.
type KeyIdentity struct {
	ID             int64
	OrganisationID int64
	Name           string
	Scopes         []string
	// RateLimit is the key's requests per minute.
	RateLimit int
}

// Issue makes a new key for an organisation; admins only.
func (k *APIKeys) Issue(ctx context.Context, admin *model.User, in KeyInput) (IssuedKey, error) {
	if err := checkAdmin(admin); err != nil {
		return IssuedKey{}, err
	}
	return k.issue(ctx, &admin.ID, in)
}

// IssueByOperator makes a new key from the command line, whose user has
// the database and so every right; the audit log shows no actor.
func (k *APIKeys) IssueByOperator(ctx context.Context, in KeyInput) (IssuedKey, error) {
	return k.issue(ctx, nil, in)
}

func (k *APIKeys) issue(ctx context.Context, by *int64, in KeyInput) (IssuedKey, error) {
	row, err := k.validKey(ctx, in)
	if err != nil {
		return IssuedKey{}, err
	}
	now := k.now()
	row.CreatedAt, row.CreatedBy = now, by
	var key string
	err = k.store.Tx(ctx, func(tx *store.Store) error {
		// A prefix is 40 random bits: a collision is rare, and retried.
		for attempt := 0; ; attempt++ {
			var prefix string
			prefix, key = newKey()
			row.ID, row.Prefix, row.Hash = 0, prefix, hashKey(key)
			err := tx.CreateAPIKey(ctx, &row)
			if err == nil {
				break
			}
			if !errors.Is(err, apperr.ErrConflict) || attempt == 3 {
				return err
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: by, Action: "apikey.issue", TargetType: "api_key", TargetID: row.ID,
			AfterText: fmt.Sprintf("%s (%s) organisation=%d scopes=%s rate_limit=%d", row.Name, row.Prefix, row.OrganisationID, row.Scopes, row.RateLimit), CreatedAt: now})
	})
	if err != nil {
		return IssuedKey{}, fmt.Errorf("issue api key: %w", err)
	}
	row.Hash = ""
	return IssuedKey{Key: key, APIKey: row}, nil
}

// validKey checks a new key's organisation, name, scopes and rate limit.
func (k *APIKeys) validKey(ctx context.Context, in KeyInput) (model.APIKey, error) {
	var errs apperr.Invalids
	var row model.APIKey
	orgID, err := strconv.ParseInt(strings.TrimSpace(in.Organisation), 10, 64)
	var org model.Organisation
	if err == nil && orgID > 0 {
		org, err = k.store.Organisation(ctx, orgID)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return row, err
		}
	}
	orgFound := err == nil && orgID > 0
	if err != nil || orgID <= 0 {
		errs = append(errs, &apperr.Invalid{Field: "organisation", Key: "error.admin.organisation"})
	}
	name := strings.TrimSpace(in.Name)
	errs = append(errs, checkText("name", name, 2, 80)...)
	scopes, err := ParseScopes(in.Scopes)
	if err != nil {
		errs = append(errs, err.(*apperr.Invalid))
	} else if orgFound && contains(scopes, ScopeInvestigate) && org.InvestigatorSince == nil {
		// Only a vetted investigator's keys may hold investigate; the
		// scope is checked again on every request (see Investigations),
		// so withdrawing the mark takes it from keys already issued.
		errs = append(errs, &apperr.Invalid{Field: "scopes", Key: "error.apikey.investigate_unvetted"})
	}
	limit := DefaultKeyRateLimit
	if s := strings.TrimSpace(in.RateLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxKeyRateLimit {
			errs = append(errs, &apperr.Invalid{Field: "rate_limit", Key: "error.apikey.rate_limit", Args: map[string]any{"Max": maxKeyRateLimit}})
		}
		limit = n
	}
	if err := errs.Err(); err != nil {
		return row, err
	}
	return model.APIKey{OrganisationID: orgID, Name: name, Scopes: strings.Join(scopes, ","), RateLimit: limit}, nil
}

// ParseScopes reads a comma- or space-separated list of scopes, in the
// order of APIScopes, without repeats. An unknown scope or none at all is
// an *apperr.Invalid of the field "scopes".
func ParseScopes(s string) ([]string, error) {
	given := splitComma(s)
	if len(given) == 0 {
		return nil, &apperr.Invalid{Field: "scopes", Key: "error.apikey.no_scope"}
	}
	for _, g := range given {
		if !contains(APIScopes, g) {
			return nil, &apperr.Invalid{Field: "scopes", Key: "error.apikey.scope"}
		}
	}
	var out []string
	for _, sc := range APIScopes {
		if contains(given, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// List lists the keys of an organisation, or every key for orgID 0;
// admins only.
func (k *APIKeys) List(ctx context.Context, admin *model.User, orgID int64) ([]model.APIKeyRow, error) {
	if err := checkAdmin(admin); err != nil {
		return nil, err
	}
	return k.store.APIKeys(ctx, orgID)
}

// ListByOperator is List from the command line.
func (k *APIKeys) ListByOperator(ctx context.Context, orgID int64) ([]model.APIKeyRow, error) {
	return k.store.APIKeys(ctx, orgID)
}

// Revoke revokes a key at once, on every instance (keys are checked
// against the database on every request); admins only. The admin must
// confirm. Revoking a revoked key changes nothing and is no error.
func (k *APIKeys) Revoke(ctx context.Context, admin *model.User, id int64, confirmed bool) error {
	if err := checkAdmin(admin); err != nil {
		return err
	}
	if !confirmed {
		return &apperr.Invalid{Field: "confirm", Key: "error.apikey.confirm"}
	}
	return k.revoke(ctx, &admin.ID, id)
}

// RevokeByOperator revokes the key with id, or with the prefix given
// instead (prefix may carry the leading "fw_"), from the command line. It
// returns the key as it was.
func (k *APIKeys) RevokeByOperator(ctx context.Context, id int64, prefix string) (model.APIKey, error) {
	var row model.APIKey
	var err error
	if id != 0 {
		row, err = k.store.APIKey(ctx, id)
	} else {
		row, err = k.store.APIKeyByPrefix(ctx, strings.TrimPrefix(strings.TrimSpace(prefix), keyStart))
	}
	if err != nil {
		return row, fmt.Errorf("revoke api key: %w", err)
	}
	row.Hash = ""
	return row, k.revoke(ctx, nil, row.ID)
}

func (k *APIKeys) revoke(ctx context.Context, by *int64, id int64) error {
	now := k.now()
	return k.store.Tx(ctx, func(tx *store.Store) error {
		row, err := tx.APIKey(ctx, id)
		if err != nil {
			return fmt.Errorf("revoke api key %d: %w", id, err)
		}
		live, err := tx.RevokeAPIKey(ctx, id, by, now)
		if err != nil || !live {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: by, Action: "apikey.revoke", TargetType: "api_key", TargetID: id,
			BeforeText: fmt.Sprintf("%s (%s) organisation=%d scopes=%s", row.Name, row.Prefix, row.OrganisationID, row.Scopes), CreatedAt: now})
	})
}

// Authenticate recognises the key sent with a request. A key that is
// malformed, unknown or revoked is apperr.ErrUnauthenticated, the same for
// all three. The key is looked up in the database on every request, so a
// revocation holds at once on every instance; its last-use time is written
// at most once per keyTouchInterval.
func (k *APIKeys) Authenticate(ctx context.Context, key string) (KeyIdentity, error) {
	prefix, ok := keyPrefix(key)
	if !ok {
		return KeyIdentity{}, fmt.Errorf("api key: malformed: %w", apperr.ErrUnauthenticated)
	}
	row, err := k.store.APIKeyByPrefix(ctx, prefix)
	if errors.Is(err, apperr.ErrNotFound) {
		return KeyIdentity{}, fmt.Errorf("api key: unknown: %w", apperr.ErrUnauthenticated)
	}
	if err != nil {
		return KeyIdentity{}, err
	}
	if subtle.ConstantTimeCompare([]byte(hashKey(key)), []byte(row.Hash)) != 1 {
		return KeyIdentity{}, fmt.Errorf("api key: unknown: %w", apperr.ErrUnauthenticated)
	}
	if row.RevokedAt != nil {
		return KeyIdentity{}, fmt.Errorf("api key %d: revoked: %w", row.ID, apperr.ErrUnauthenticated)
	}
	now := k.now()
	if since := now.Add(-keyTouchInterval); row.LastUsedAt == nil || row.LastUsedAt.Before(since) {
		if err := k.store.TouchAPIKey(ctx, row.ID, now, since); err != nil {
			return KeyIdentity{}, err
		}
	}
	return KeyIdentity{ID: row.ID, OrganisationID: row.OrganisationID, Name: row.Name, Scopes: splitComma(row.Scopes), RateLimit: row.RateLimit}, nil
}

// newKey returns a fresh key and its prefix.
func newKey() (prefix, key string) {
	var b [prefixBytes + secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("api key: " + err.Error())
	}
	prefix = keyEncoding.EncodeToString(b[:prefixBytes])
	return prefix, keyStart + prefix + "_" + keyEncoding.EncodeToString(b[prefixBytes:])
}

// keyPrefix returns the prefix of a well-formed key.
func keyPrefix(key string) (string, bool) {
	if len(key) != keyLength || !strings.HasPrefix(key, keyStart) || key[len(keyStart)+prefixChars] != '_' {
		return "", false
	}
	prefix, secret := key[len(keyStart):len(keyStart)+prefixChars], key[len(keyStart)+prefixChars+1:]
	for _, part := range []string{prefix, secret} {
		for i := 0; i < len(part); i++ {
			if c := part[i]; !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
				return "", false
			}
		}
	}
	return prefix, true
}

// hashKey is the stored form of a key: its SHA-256 in hex. A key holds
// 320 random bits, so a fast hash is enough: nothing can be guessed from
// it, unlike a password.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

type keyContext struct{}

// WithKey returns ctx carrying the key a request was made with.
func WithKey(ctx context.Context, id KeyIdentity) context.Context {
	return context.WithValue(ctx, keyContext{}, id)
}

// KeyFrom returns the key a request was made with, if any.
func KeyFrom(ctx context.Context) (KeyIdentity, bool) {
	id, ok := ctx.Value(keyContext{}).(KeyIdentity)
	return id, ok
}
