package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"forewarn/app/apperr"
	"forewarn/app/pwlist"
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// PasswordCost is the argon2id cost of new password hashes. Each hash
// names the cost it was made with, so checking a password needs none.
type PasswordCost struct {
	// MemoryKiB and Passes are argon2id's m and t; zero means the default.
	MemoryKiB uint32
	Passes    uint32
}

// orDefault fills what c leaves zero with the default cost.
func (c PasswordCost) orDefault() PasswordCost {
	if c.MemoryKiB == 0 {
		c.MemoryKiB = argonMemory
	}
	if c.Passes == 0 {
		c.Passes = argonTime
	}
	return c
}

// HashPassword returns the argon2id hash of password in the PHC string
// format, at the default cost.
func HashPassword(password string) (string, error) {
	return PasswordCost{}.hash(password)
}

func (c PasswordCost) hash(password string) (string, error) {
	c = c.orDefault()
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, c.Passes, c.MemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, c.MemoryKiB, c.Passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC-encoded hash; a
// malformed hash is an error.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("check password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("check password: unsupported argon2 version")
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, fmt.Errorf("check password: parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("check password: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("check password: key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Password length bounds. NIST SP 800-63B asks for at least 8 characters
// (we ask 10) and at least 64 allowed; 128 characters leave room for long
// passphrases, and 512 bytes for any script.
const (
	minPasswordLen   = 10
	maxPasswordRunes = 128
	maxPasswordBytes = 4 * maxPasswordRunes
)

// passwordProblem checks a new password the way NIST SP 800-63B (section
// 5.1.1.2) asks: long enough, not on the list of common and breached
// passwords, not repetitive or sequential, not derived from the pseudonym.
// There are no composition rules. It returns nil when the password is
// acceptable, else the broken rule as an Invalid on field.
func passwordProblem(field, password, pseudonym string) *apperr.Invalid {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password) || n < minPasswordLen:
		return &apperr.Invalid{Field: field, Key: "error.password.length", Args: map[string]any{"Min": minPasswordLen}}
	case n > maxPasswordRunes || len(password) > maxPasswordBytes:
		return &apperr.Invalid{Field: field, Key: "error.password.too_long", Args: map[string]any{"Max": maxPasswordRunes}}
	}
	folded := foldText(password)
	if name := foldText(strings.TrimSpace(pseudonym)); name != "" {
		if strings.Contains(folded, name) || strings.Contains(name, folded) ||
			strings.Contains(PseudonymKey(password), PseudonymKey(pseudonym)) {
			return &apperr.Invalid{Field: field, Key: "error.password.pseudonym"}
		}
	}
	if trivialPassword(folded) {
		return &apperr.Invalid{Field: field, Key: "error.password.trivial"}
	}
	if pwlist.Contains(folded) {
		return &apperr.Invalid{Field: field, Key: "error.password.common"}
	}
	return nil
}

// foldText normalises s (NFKC) and folds its case, so that comparisons
// ignore case and compatibility variants (full-width letters, ligatures).
func foldText(s string) string {
	return cases.Fold().String(norm.NFKC.String(s))
}

// trivialPassword reports whether folded is a repetition of a shorter unit
// ("passwordpassword", "abcabcabca"), has fewer than four distinct
// characters ("aaaaaaaaaa", "ababababab"), or is made of at most two runs
// that climb, fall or stay by one step ("1234567890", "zyxwvu12345",
// "aaaaabbbbb"). Spaces and punctuation between words are kept: "aaaa aaaa
// aa" is still trivial.
func trivialPassword(folded string) bool {
	rs := []rune(folded)
	distinct := map[rune]bool{}
	for _, r := range rs {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return true
	}
	for p := 1; p <= len(rs)/2; p++ {
		periodic := true
		for i := p; i < len(rs); i++ {
			if rs[i] != rs[i-p] {
				periodic = false
				break
			}
		}
		if periodic {
			return true
		}
	}
	runs := 1
	for i := 1; i < len(rs); {
		step := stepBetween(rs[i-1], rs[i])
		if step < -1 || step > 1 {
			runs++
			i++
			continue
		}
		for i < len(rs) && stepBetween(rs[i-1], rs[i]) == step {
			i++
		}
		if i < len(rs) {
			runs++
			i++
		}
	}
	return runs <= 2
}

// stepBetween is b-a, with the digits taken as a ring so that "890" and
// "098" are sequences too.
func stepBetween(a, b rune) int {
	if a == '9' && b == '0' {
		return 1
	}
	if a == '0' && b == '9' {
		return -1
	}
	return int(b - a)
}
