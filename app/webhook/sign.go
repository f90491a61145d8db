// Package webhook signs and verifies webhook messages the way the Standard
// Webhooks specification (https://www.standardwebhooks.com) describes: a
// message has an ID, a Unix timestamp and a body; its signature is the
// base64 HMAC-SHA256 of "id.timestamp.body" under the endpoint's secret,
// sent as "v1,<signature>" in the webhook-signature header. A secret is
// "whsec_" followed by the base64 of its random bytes.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts every secret; secretBytes is its random part.
const (
	secretPrefix = "whsec_"
	secretBytes  = 32
)

// Tolerance is how far a message's timestamp may be from the receiver's
// clock before Verify refuses it as a replay.
const Tolerance = 5 * time.Minute

// Errors of Verify.
var (
	ErrSecret    = errors.New("webhook: malformed secret")
	ErrTimestamp = errors.New("webhook: timestamp missing or too far from now")
	ErrSignature = errors.New("webhook: no matching signature")
)

// NewSecret returns a new random secret, "whsec_" and 32 random bytes in
// base64.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// key decodes a secret into the HMAC key.
func key(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(k) == 0 {
		return nil, ErrSecret
	}
	return k, nil
}

// Sign returns the value of the webhook-signature header of a message:
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body".
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	return "v1," + base64.StdEncoding.EncodeToString(mac(k, id, timestamp.Unix(), body)), nil
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(unix, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a received message as a receiver should: the timestamp
// within Tolerance of now, and one of the space-separated signatures of
// the header a valid v1 signature (compared in constant time).
func Verify(secret, id, timestamp, signatures string, body []byte, now time.Time) error {
	k, err := key(secret)
	if err != nil {
		return err
	}
	unix, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrTimestamp
	}
	if d := now.Sub(time.Unix(unix, 0)); d > Tolerance || d < -Tolerance {
		return ErrTimestamp
	}
	want := mac(k, id, unix, body)
	for _, s := range strings.Fields(signatures) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
