package pwlist

import "testing"

func TestListIsLargeAndFindsCommonPasswords(t *testing.T) {
	if n := Len(); n < 100_000 {
		t.Fatalf("list has %d entries, want at least 100,000", n)
	}
	for _, p := range []string{"passwordpassword", "1234567890", "aaaaaaaaaa", "qwertyuiop", "password123", "iloveyou12"} {
		if !Contains(p) {
			t.Errorf("Contains(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"correct horse battery staple", "Password123", "", "vélo-rouge sous la pluie"} {
		if Contains(p) {
			t.Errorf("Contains(%q) = true, want false", p)
		}
	}
}
