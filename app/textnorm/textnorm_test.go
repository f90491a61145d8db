package textnorm_test

import (
	"testing"

	"forewarn/app/textnorm"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		in   rune
		want rune
	}{
		{'a', 'a'}, {'é', 'é'}, {'ж', 'ж'}, {'ک', 'ک'},
		{'\u200b', textnorm.Drop}, {'\u200c', textnorm.Drop}, {'\u200d', textnorm.Drop},
		{'\u200e', textnorm.Drop}, {'\u200f', textnorm.Drop}, {'\u202a', textnorm.Drop},
		{'\u202e', textnorm.Drop}, {'\u2060', textnorm.Drop}, {'\u2064', textnorm.Drop},
		{'\u2066', textnorm.Drop}, {'\u2069', textnorm.Drop}, {'\ufeff', textnorm.Drop},
		{'\u00ad', textnorm.Drop}, {'\u061c', textnorm.Drop},
		{'٣', '3'}, {'۷', '7'}, {'３', '3'}, {'०', '0'}, {'৯', '9'}, {'๕', '5'},
		{'Ａ', 'A'}, {'ｚ', 'z'}, {'＠', '@'}, {'＋', '+'},
		{'\u00a0', ' '}, {'\u2013', '-'}, {'。', '.'},
	} {
		if got := textnorm.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%U) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
