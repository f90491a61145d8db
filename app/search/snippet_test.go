package search

import (
	"strings"
	"testing"
)

func TestMarkEscapesThenMarks(t *testing.T) {
	q := NewQuery(Tokens("chauff Pologne"))
	got, ok := Mark(`<b onclick="x">Chauffeurs</b> & co en POLOGNE`, q, 0)
	want := `&lt;b onclick=&#34;x&#34;&gt;<mark>Chauffeurs</mark>&lt;/b&gt; &amp; co en <mark>POLOGNE</mark>`
	if !ok || string(got) != want {
		t.Errorf("Mark = %q, want %q", got, want)
	}
	ar, _ := Mark("تَعِدُ الشركةُ بعملٍ", NewQuery(Tokens("الشركة")), 0)
	if !strings.Contains(string(ar), "<mark>الشركةُ</mark>") {
		t.Errorf("Arabic with harakat: %q", ar)
	}
	long := strings.Repeat("word ", 100) + "target " + strings.Repeat("tail ", 100)
	cut, ok := Mark(long, NewQuery([]string{"target"}), 20)
	if !ok || !strings.HasPrefix(string(cut), "… ") || !strings.HasSuffix(string(cut), " …") || !strings.Contains(string(cut), "<mark>target</mark>") {
		t.Errorf("cut snippet: %q", cut)
	}
	if n := len(strings.Fields(string(cut))); n > 24 {
		t.Errorf("snippet of %d words", n)
	}
	none, ok := Mark("nothing here", NewQuery([]string{"zzz"}), 10)
	if ok || string(none) != "nothing here" {
		t.Errorf("no match: %q %v", none, ok)
	}
	broken, _ := Mark("a\xffb <i>", NewQuery([]string{"a"}), 0)
	if strings.Contains(string(broken), "<i>") || strings.Contains(string(broken), "\xff") {
		t.Errorf("broken UTF-8: %q", broken)
	}
}
