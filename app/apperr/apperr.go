// Package apperr is the error vocabulary shared by the services and both HTTP
// surfaces: each error maps to one HTTP status in one place per surface.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; wrap them with context and test them with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
	ErrConflict  = errors.New("conflict")
	// ErrUnauthenticated is a credential (an API key) that is malformed,
	// unknown or revoked; which of them is never told.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrScope is a valid API key without the scope an action needs.
	ErrScope = errors.New("insufficient scope")
	// ErrIdempotencyMismatch is an Idempotency-Key sent again with another
	// request.
	ErrIdempotencyMismatch = errors.New("idempotency key reused with another request")
	// ErrIdempotencyInProgress is an Idempotency-Key sent again while its
	// first request is still being served.
	ErrIdempotencyInProgress = errors.New("idempotency key in progress")
)

// Kinds returns one error of every kind the services return: each sentinel
// and each type. app/httperr maps every one of them to a status and a
// message, and its test walks this list, so add a new kind here.
func Kinds() []error {
	return []error{
		ErrNotFound,
		ErrForbidden,
		ErrConflict,
		ErrUnauthenticated,
		ErrScope,
		ErrIdempotencyMismatch,
		ErrIdempotencyInProgress,
		&Invalid{Field: "form", Key: "error.bad_request.text"},
		Invalids{{Field: "form", Key: "error.bad_request.text"}},
	}
}

// Invalid reports input that breaks a rule. Key is a translation key (and the
// stable code of the API), Args fill its template.
type Invalid struct {
	Field string
	Key   string
	Args  map[string]any
}

func (e *Invalid) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Key)
}

// Invalids collects several field errors of one request.
type Invalids []*Invalid

func (es Invalids) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns es as an error, or nil when it is empty.
func (es Invalids) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// AsInvalids extracts the field errors carried by err, if any.
func AsInvalids(err error) (Invalids, bool) {
	var many Invalids
	if errors.As(err, &many) {
		return many, true
	}
	var one *Invalid
	if errors.As(err, &one) {
		return Invalids{one}, true
	}
	return nil, false
}
