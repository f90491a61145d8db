package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// RecoveryCodeCount is how many one-time recovery codes a member gets.
const RecoveryCodeCount = 8

// recoveryAlphabet has no letters that read like digits (no I, L, O, U).
const recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// errRecoveryFailed is the one answer to an unknown pseudonym and to a
// wrong or used code, so that nobody learns which accounts exist.
var errRecoveryFailed = &apperr.Invalid{Field: "code", Key: "error.recovery.failed"}

// newRecoveryCode returns a random code of 16 characters from a 32-letter
// alphabet (80 bits), written in four groups: "7KQ2-M9XD-…".
func newRecoveryCode() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("recovery code: %w", err)
	}
	var sb strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(recoveryAlphabet[int(v)%len(recoveryAlphabet)]) // 256 is a multiple of 32: no bias
	}
	return sb.String(), nil
}

// normalizeRecoveryCode reads a code as typed: case, spaces and dashes do
// not matter, and O, I, L read as 0, 1, 1.
func normalizeRecoveryCode(s string) string {
	s = strings.ToUpper(s)
	s = strings.NewReplacer(" ", "", "-", "", "O", "0", "I", "1", "L", "1").Replace(s)
	return s
}

// hashRecoveryCode is the stored form of a code. SHA-256 without salt or
// stretching is enough here, unlike for passwords: each code carries 80
// random bits, so a stolen table cannot be reversed by guessing (2^80
// hashes per code), and salts or argon2id only help against guessable
// secrets. Online guessing is slowed by the rate limit of the recovery
// form.
func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("forewarn-recovery:" + normalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// NewRecoveryCodes replaces the recovery codes of user id with new ones and
// returns them: the only time they are shown.
func (us *Users) NewRecoveryCodes(ctx context.Context, id int64) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		c, err := newRecoveryCode()
		if err != nil {
			return nil, err
		}
		codes[i], hashes[i] = c, hashRecoveryCode(c)
	}
	now := us.now()
	err := us.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.ReplaceRecoveryCodes(ctx, id, hashes, now); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &id, Action: "account.recovery_codes", TargetType: "user", TargetID: id, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RegenerateRecoveryCodes makes new recovery codes for user id after
// checking their current password; the old codes stop working.
func (us *Users) RegenerateRecoveryCodes(ctx context.Context, id int64, password string) ([]string, error) {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("recovery codes of %d: %w", id, err)
	}
	if len(password) > maxPasswordBytes {
		return nil, &apperr.Invalid{Field: "current", Key: "error.password.wrong"}
	}
	if ok, _ := CheckPassword(u.PasswordHash, password); !ok {
		return nil, &apperr.Invalid{Field: "current", Key: "error.password.wrong"}
	}
	return us.NewRecoveryCodes(ctx, id)
}

// UnusedRecoveryCodes counts the recovery codes user id has left.
func (us *Users) UnusedRecoveryCodes(ctx context.Context, id int64) (int64, error) {
	return us.store.UnusedRecoveryCodes(ctx, id)
}

// Recovery is what a member who forgot their password types.
type Recovery struct {
	Pseudonym, Code, New, NewAgain string
}

// Recover sets a new password with a one-time recovery code, which is used
// up, and ends every session of the account (the session epoch moves). An
// unknown pseudonym and a wrong code get the same answer.
func (us *Users) Recover(ctx context.Context, r Recovery) (model.User, error) {
	name := strings.TrimSpace(r.Pseudonym)
	var errs apperr.Invalids
	if bad := passwordProblem("new", r.New, name); bad != nil {
		errs = append(errs, bad)
	}
	if r.New != r.NewAgain {
		errs = append(errs, &apperr.Invalid{Field: "new_again", Key: "error.password.mismatch"})
	}
	code := normalizeRecoveryCode(r.Code)
	if len(name) > 128 || len(code) != 16 {
		errs = append(errs, errRecoveryFailed)
	}
	if err := errs.Err(); err != nil {
		return model.User{}, err
	}
	hash, err := us.cost.hash(r.New)
	if err != nil {
		return model.User{}, err
	}
	u, err := us.userByPseudonym(ctx, name)
	if errors.Is(err, apperr.ErrNotFound) {
		return model.User{}, errRecoveryFailed
	}
	if err != nil {
		return model.User{}, fmt.Errorf("recover: %w", err)
	}
	now := us.now()
	err = us.store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(code), now)
		if err != nil {
			return err
		}
		if !ok {
			return errRecoveryFailed
		}
		if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &u.ID, Action: "account.recover", TargetType: "user", TargetID: u.ID, CreatedAt: now})
	})
	if err != nil {
		return model.User{}, err
	}
	return us.store.User(ctx, u.ID)
}
