package service

import "testing"

func TestTrivialPasswords(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"aaaaaaaaaa", "1234567890", "0987654321", "passwordpassword", "abababababab",
		"abcabcabca", "zyxwvu12345", "aaaaabbbbb", "7890123456", "xyzxyzxyzxyz", "!!!!!!!!!!!!", "1111122222"} {
		if !trivialPassword(foldText(p)) {
			t.Errorf("trivialPassword(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"correct horse battery", "tr0ub4dor&3x", "my cat is called 1234", "вишня цвіте у квітні",
		"sunflower roof", "abcdefg and more"} {
		if trivialPassword(foldText(p)) {
			t.Errorf("trivialPassword(%q) = true, want false", p)
		}
	}
}

func TestPseudonymKeyUsesConfusableSkeletons(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"secadmin", "secаdmin"}, // Cyrillic а
		{"olena", "οlena"},       // Greek ο
		{"olena", "OLENA"},
		{"paypal", "paypa1"},
		{"mary", "rnary"},
		{"mary", "ｍａｒｙ"}, // full-width
		{"strasse", "Straße"},
		{"sasha", "ѕаѕһа"}, // Cyrillic ѕ, а, һ
	} {
		if PseudonymKey(pair[0]) != PseudonymKey(pair[1]) {
			t.Errorf("PseudonymKey(%q) = %q, PseudonymKey(%q) = %q, want equal", pair[0], PseudonymKey(pair[0]), pair[1], PseudonymKey(pair[1]))
		}
	}
	for _, pair := range [][2]string{{"olena", "olena2"}, {"ivan", "iwan"}, {"алёна", "алена2"}} {
		if PseudonymKey(pair[0]) == PseudonymKey(pair[1]) {
			t.Errorf("PseudonymKey(%q) == PseudonymKey(%q)", pair[0], pair[1])
		}
	}
}
