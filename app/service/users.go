package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Users holds the rules of accounts.
type Users struct {
	store *store.Store
}

// NewUser is the input to create an account.
type NewUser struct {
	Pseudonym string
	Password  string
	Role      string
	Locale    string
}

// Password length bounds, in characters and in bytes.
const (
	minPasswordLen   = 10
	maxPasswordBytes = 256
)

// Create validates nu and stores the account; a taken pseudonym is an
// apperr.Invalid on the pseudonym field.
func (us *Users) Create(ctx context.Context, nu NewUser) (model.User, error) {
	var errs apperr.Invalids
	name := strings.TrimSpace(nu.Pseudonym)
	if !validPseudonym(name) {
		errs = append(errs, &apperr.Invalid{Field: "pseudonym", Key: "error.pseudonym.invalid"})
	}
	if !utf8.ValidString(nu.Password) || utf8.RuneCountInString(nu.Password) < minPasswordLen || len(nu.Password) > maxPasswordBytes {
		errs = append(errs, &apperr.Invalid{Field: "password", Key: "error.password.length", Args: map[string]any{"Min": minPasswordLen}})
	}
	role := model.Role(nu.Role)
	if role == "" {
		role = model.RoleMember
	}
	if !role.Valid() {
		errs = append(errs, &apperr.Invalid{Field: "role", Key: "error.role.invalid"})
	}
	if err := errs.Err(); err != nil {
		return model.User{}, err
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return model.User{}, err
	}
	locale := nu.Locale
	if locale == "" {
		locale = "en"
	}
	u := model.User{
		Pseudonym:    name,
		PseudonymKey: PseudonymKey(name),
		PasswordHash: hash,
		Role:         role,
		Locale:       locale,
	}
	if err := us.store.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, apperr.ErrConflict) {
			return model.User{}, &apperr.Invalid{Field: "pseudonym", Key: "error.pseudonym.taken"}
		}
		return model.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// PseudonymKey folds a pseudonym so that names differing only in case match.
func PseudonymKey(name string) string {
	return cases.Fold().String(name)
}

// validPseudonym accepts 3 to 32 letters, digits, '.', '-' and '_', in any script.
func validPseudonym(name string) bool {
	n := utf8.RuneCountInString(name)
	if !utf8.ValidString(name) || n < 3 || n > 32 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '_' {
			return false
		}
	}
	return true
}
