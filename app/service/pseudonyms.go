package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// PseudonymKey is the form under which a pseudonym is unique and looked
// up: its Unicode confusable skeleton (UTS #39, confusables.txt of Unicode
// 13) of its case folding (NFKC-normalised), folded again. Names that differ
// only in case ("Olena", "olena") or that look alike ("secadmin" in Latin
// letters and "secаdmin" with a Cyrillic а; "paypal" and "paypa1"; "ｍary",
// "mary" and "rnary") have the same key. The key is for comparing only,
// never shown.
func PseudonymKey(name string) string {
	fold := cases.Fold()
	return fold.String(confusables.Skeleton(norm.NFKC.String(fold.String(name))))
}

// pseudonymKeyScheme names the way PseudonymKey computes keys. It is stored
// in the settings once every row carries such a key; change it whenever
// PseudonymKey changes, so that RekeyPseudonyms runs again.
const (
	pseudonymKeyScheme  = "casefold+uts39-skeleton/unicode-13"
	pseudonymKeySetting = "pseudonym_key_scheme"
)

// legacyKeyPrefix marks the key of an account whose pseudonym looks like
// that of an older account, found when the keys were recomputed. Such an
// account keeps a key of its own ("\x01" and its folded pseudonym, which no
// pseudonym can produce) so that its member can still sign in; new names
// that look like it are refused all the same, as they look like the older
// one.
const legacyKeyPrefix = "\x01"

// userByPseudonym finds the account a member signs in with: an account kept
// under a legacy key when the name matches it exactly (but for case), else
// the account with the name's key.
func (us *Users) userByPseudonym(ctx context.Context, name string) (u model.User, err error) {
	u, err = us.store.UserByPseudonymKey(ctx, legacyKeyPrefix+cases.Fold().String(name))
	if errors.Is(err, apperr.ErrNotFound) {
		return us.store.UserByPseudonymKey(ctx, PseudonymKey(name))
	}
	return u, err
}

// takenError tells apart a pseudonym that is taken (the same but for case)
// from one that only looks like a taken one.
func (us *Users) takenError(ctx context.Context, name string) error {
	taken := &apperr.Invalid{Field: "pseudonym", Key: "error.pseudonym.taken"}
	other, err := us.store.UserByPseudonymKey(ctx, PseudonymKey(name))
	if err != nil || cases.Fold().String(other.Pseudonym) == cases.Fold().String(name) {
		return taken
	}
	return &apperr.Invalid{Field: "pseudonym", Key: "error.pseudonym.confusable"}
}

// PseudonymConflict is an account whose pseudonym looks like that of an
// older account; it is kept under a legacy key.
type PseudonymConflict struct {
	ID, OlderID               int64
	Pseudonym, OlderPseudonym string
}

// RekeyPseudonyms recomputes the pseudonym key of every account when the
// stored keys were computed another way (databases created before keys were
// skeletons), in one transaction, and records the scheme so that later
// starts skip it. Of accounts whose names now have the same key, the oldest
// gets the key and the others a legacy key; each such conflict is logged as
// a warning and returned, so that an admin can look at the accounts.
func RekeyPseudonyms(ctx context.Context, st *store.Store, log *slog.Logger) ([]PseudonymConflict, error) {
	scheme, err := st.Setting(ctx, pseudonymKeySetting)
	if err == nil && scheme == pseudonymKeyScheme {
		return nil, nil
	}
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return nil, fmt.Errorf("rekey pseudonyms: %w", err)
	}
	rows, err := st.UserKeys(ctx) // ordered by ID: older accounts first
	if err != nil {
		return nil, fmt.Errorf("rekey pseudonyms: %w", err)
	}
	holder := make(map[string]store.UserKey, len(rows))
	keys := make(map[int64]string)
	var conflicts []PseudonymConflict
	for _, r := range rows {
		key := PseudonymKey(r.Pseudonym)
		if older, taken := holder[key]; taken {
			key = legacyKeyPrefix + cases.Fold().String(r.Pseudonym)
			conflicts = append(conflicts, PseudonymConflict{ID: r.ID, Pseudonym: r.Pseudonym, OlderID: older.ID, OlderPseudonym: older.Pseudonym})
		} else {
			holder[key] = r
		}
		if key != r.PseudonymKey {
			keys[r.ID] = key
		}
	}
	if err := st.RekeyUsers(ctx, keys, pseudonymKeySetting, pseudonymKeyScheme); err != nil {
		return nil, fmt.Errorf("rekey pseudonyms: %w", err)
	}
	if log != nil {
		if len(keys) > 0 {
			log.Info("pseudonym keys recomputed", "scheme", pseudonymKeyScheme, "accounts", len(rows), "changed", len(keys))
		}
		for _, c := range conflicts {
			log.Warn("pseudonym looks like an older account's; it keeps a legacy key and can still sign in, but an admin should check it",
				"user_id", c.ID, "pseudonym", strings.ToValidUTF8(c.Pseudonym, "?"), "older_user_id", c.OlderID, "older_pseudonym", c.OlderPseudonym)
		}
	}
	return conflicts, nil
}
