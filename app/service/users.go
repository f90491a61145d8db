package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Users holds the rules of accounts.
type Users struct {
	store *store.Store
	now   func() time.Time
	// cost is the argon2id cost of new password hashes.
	cost PasswordCost

	dummyOnce sync.Once
	dummyHash string
}

// NewUser is the input to create an account.
type NewUser struct {
	Pseudonym string
	Password  string
	Role      string
	Locale    string
	Email     string
}

// validate checks nu and returns its trimmed pseudonym and its role.
func (nu NewUser) validate() (name string, role model.Role, errs apperr.Invalids) {
	name = strings.TrimSpace(nu.Pseudonym)
	if !validPseudonym(name) {
		errs = append(errs, &apperr.Invalid{Field: "pseudonym", Key: "error.pseudonym.invalid"})
	}
	if bad := passwordProblem("password", nu.Password, name); bad != nil {
		errs = append(errs, bad)
	}
	role = model.Role(nu.Role)
	if role == "" {
		role = model.RoleMember
	}
	if !role.Valid() {
		errs = append(errs, &apperr.Invalid{Field: "role", Key: "error.role.invalid"})
	}
	return name, role, errs
}

// Create validates nu and stores the account; a taken pseudonym is an
// apperr.Invalid on the pseudonym field.
func (us *Users) Create(ctx context.Context, nu NewUser) (model.User, error) {
	name, role, errs := nu.validate()
	if err := errs.Err(); err != nil {
		return model.User{}, err
	}
	hash, err := us.cost.hash(nu.Password)
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
	if nu.Email != "" {
		u.Email = &nu.Email
	}
	if err := us.store.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, apperr.ErrConflict) {
			return model.User{}, us.takenError(ctx, name)
		}
		return model.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
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

// Registration is what a visitor types to create a member account.
type Registration struct {
	Pseudonym     string
	Password      string
	PasswordAgain string
	// Email is optional and used for account recovery only.
	Email  string
	Locale string
}

// Register creates a member account. Every broken rule is reported, each on
// its field; a taken pseudonym is one of them.
func (us *Users) Register(ctx context.Context, r Registration) (model.User, error) {
	email, emailOK := normalizeEmail(r.Email)
	nu := NewUser{Pseudonym: r.Pseudonym, Password: r.Password, Role: string(model.RoleMember), Locale: r.Locale, Email: email}
	_, _, errs := nu.validate()
	if r.Password != r.PasswordAgain {
		errs = append(errs, &apperr.Invalid{Field: "password_again", Key: "error.password.mismatch"})
	}
	if !emailOK {
		errs = append(errs, &apperr.Invalid{Field: "email", Key: "error.email.invalid"})
	}
	if err := errs.Err(); err != nil {
		return model.User{}, err
	}
	return us.Create(ctx, nu)
}

// normalizeEmail trims an optional e-mail address; ok is false when it is
// given and not an address.
func normalizeEmail(s string) (email string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if len(s) > 254 || !utf8.ValidString(s) {
		return "", false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", false
	}
	return s, true
}

// errLoginFailed is the one answer to a wrong pseudonym or password, so
// that nobody learns which accounts exist.
var errLoginFailed = &apperr.Invalid{Field: "login", Key: "error.login.failed"}

// Authenticate returns the account whose pseudonym and password match. A
// missing account costs the same password check as an existing one.
func (us *Users) Authenticate(ctx context.Context, pseudonym, password string) (model.User, error) {
	if len(password) > maxPasswordBytes || len(pseudonym) > 128 {
		return model.User{}, errLoginFailed
	}
	u, err := us.userByPseudonym(ctx, strings.TrimSpace(pseudonym))
	if errors.Is(err, apperr.ErrNotFound) {
		_, _ = CheckPassword(us.dummy(), password)
		return model.User{}, errLoginFailed
	}
	if err != nil {
		return model.User{}, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil || !ok {
		return model.User{}, errLoginFailed
	}
	if u.BannedUntil != nil && u.BannedUntil.After(us.now()) {
		return model.User{}, &apperr.Invalid{Field: "login", Key: "error.login.banned", Args: map[string]any{"Until": *u.BannedUntil}}
	}
	return u, nil
}

// dummy is a hash of a random password, checked when an account is missing.
func (us *Users) dummy() string {
	us.dummyOnce.Do(func() {
		h, err := us.cost.hash(fmt.Sprintf("missing-%d", us.now().UnixNano()))
		if err == nil {
			us.dummyHash = h
		}
	})
	return us.dummyHash
}

// User loads an account by ID.
func (us *Users) User(ctx context.Context, id int64) (model.User, error) {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return model.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// PasswordChange is what a member types to change their password.
type PasswordChange struct {
	Current, New, NewAgain string
}

// ChangePassword replaces the password of user id after checking the
// current one.
func (us *Users) ChangePassword(ctx context.Context, id int64, pc PasswordChange) error {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return fmt.Errorf("change password of %d: %w", id, err)
	}
	var errs apperr.Invalids
	if ok, _ := CheckPassword(u.PasswordHash, pc.Current); !ok {
		errs = append(errs, &apperr.Invalid{Field: "current", Key: "error.password.wrong"})
	}
	if bad := passwordProblem("new", pc.New, u.Pseudonym); bad != nil {
		errs = append(errs, bad)
	}
	if pc.New != pc.NewAgain {
		errs = append(errs, &apperr.Invalid{Field: "new_again", Key: "error.password.mismatch"})
	}
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := us.cost.hash(pc.New)
	if err != nil {
		return err
	}
	return us.store.SetPasswordHash(ctx, id, hash)
}

// Delete removes the account of user id after checking its password. Its
// reports and replies stay as they are now, without an author: others may
// depend on them; their earlier versions, the notes of the member's flags
// and the texts of the member's own entries in the audit log go.
func (us *Users) Delete(ctx context.Context, id int64, password string) error {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	if ok, _ := CheckPassword(u.PasswordHash, password); !ok {
		return &apperr.Invalid{Field: "password", Key: "error.password.wrong"}
	}
	return us.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.ForgetMemberTexts(ctx, id); err != nil {
			return err
		}
		return tx.DeleteUser(ctx, id)
	})
}
