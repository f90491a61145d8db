package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// CSRFTokens issues self-verifying CSRF tokens: a random nonce and an
// expiry, signed with a key derived from the site's secret. Fiber's csrf
// middleware keeps using its double-submit cookie; the tokens need no
// server-side state, so a visitor who opens a form writes nothing. A
// signed-in member's token is bound to their session instead (see
// LoadViewer), so the token of a visitor stops working at login.
type CSRFTokens struct {
	key      []byte
	now      func() time.Time
	lifetime time.Duration
	session  time.Duration
}

// NewCSRFTokens returns tokens signed with secret: a visitor's live for
// lifetime, a session's for sessionLifetime.
func NewCSRFTokens(secret string, lifetime, sessionLifetime time.Duration, now func() time.Time) *CSRFTokens {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("forewarn csrf token v1"))
	return &CSRFTokens{key: mac.Sum(nil), now: now, lifetime: lifetime, session: sessionLifetime}
}

// Kinds of tokens: a visitor's, or one bound to a member's session, which
// is never accepted from a visitor.
const (
	visitorToken = "v"
	sessionToken = "s"
)

// Generate returns a new token valid for the visitor's lifetime; it is the
// csrf middleware's KeyGenerator.
func (t *CSRFTokens) Generate() string { return t.issue(visitorToken, t.lifetime) }

// forSession returns a new token to bind to a member's session.
func (t *CSRFTokens) forSession() string { return t.issue(sessionToken, t.session) }

// OfSession reports whether token was made to be bound to a session.
func (t *CSRFTokens) OfSession(token string) bool {
	return strings.HasPrefix(token, sessionToken+".") && t.Valid(token)
}

// issue returns a new token of kind valid for lifetime.
func (t *CSRFTokens) issue(kind string, lifetime time.Duration) string {
	nonce := make([]byte, 18)
	if _, err := rand.Read(nonce); err != nil {
		panic("csrf: no randomness: " + err.Error())
	}
	body := kind + "." + base64.RawURLEncoding.EncodeToString(nonce) + "." + strconv.FormatInt(t.now().Add(lifetime).Unix(), 10)
	return body + "." + t.sign(body)
}

func (t *CSRFTokens) sign(body string) string {
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// Valid reports whether token was issued here and has not expired.
func (t *CSRFTokens) Valid(token string) bool {
	if len(token) > 128 {
		return false
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return false
	}
	body, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(t.sign(body))) {
		return false
	}
	j := strings.LastIndexByte(body, '.')
	if j < 0 {
		return false
	}
	exp := body[j+1:]
	until, err := strconv.ParseInt(exp, 10, 64)
	return err == nil && t.now().Unix() < until
}

// Storage returns the csrf middleware's storage over these tokens: Get
// verifies the signature and the expiry; Set and Delete write nothing.
func (t *CSRFTokens) Storage() *CSRFStorage { return &CSRFStorage{tokens: t} }

// CSRFStorage has the shape of fiber.Storage and stores nothing.
type CSRFStorage struct{ tokens *CSRFTokens }

var csrfPresent = []byte{'+'}

// Get returns a non-empty value for a valid token, nil otherwise.
func (s *CSRFStorage) Get(key string) ([]byte, error) {
	if s.tokens.Valid(key) {
		return csrfPresent, nil
	}
	return nil, nil
}

// Set does nothing: a token carries its own proof.
func (s *CSRFStorage) Set(string, []byte, time.Duration) error { return nil }

// Delete does nothing.
func (s *CSRFStorage) Delete(string) error { return nil }

// Reset does nothing.
func (s *CSRFStorage) Reset() error { return nil }

// Close does nothing.
func (s *CSRFStorage) Close() error { return nil }
