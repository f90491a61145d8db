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

func TestMarkScripts(t *testing.T) {
	for _, c := range []struct{ text, q, want string }{
		// The characters of the query's bigrams are marked, one mark per
		// touching run, not the whole run of Han.
		{"我联系了假签证中介，他们要钱。", "签证", "我联系了假<mark>签证</mark>中介，他们要钱。"},
		{"我联系了假签证中介，他们要钱。", "签证中介", "我联系了假<mark>签证中介</mark>，他们要钱。"},
		{"我联系了假签证中介，他们要钱。", "证中介", "我联系了假签<mark>证中介</mark>，他们要钱。"},
		{"我联系了假签证中介，他们要钱。", "介", "我联系了假签证中<mark>介</mark>，他们要钱。"},
		{"签证 and 中介 apart", "签证中介", "<mark>签证</mark> and <mark>中介</mark> apart"},
		{"Visa-Agentur ビザ代行サービス", "ビザ", "Visa-Agentur <mark>ビザ</mark>代行サービス"},
		{"ቪዛ ሓሶት፡ኤጀንሲ፡ኣብ፡ኣስመራ።", "ኤጀንሲ", "ቪዛ ሓሶት፡<mark>ኤጀንሲ</mark>፡ኣብ፡ኣስመራ።"},
		{"Công ty xuất khẩu lao động", "xuat khau", "Công ty <mark>xuất</mark> <mark>khẩu</mark> lao động"},
		{"شركة الوكالة وبالوكالة", "وكالة", "شركة <mark>الوكالة</mark> <mark>وبالوكالة</mark>"},
		{"ایجنسی کے لیے", "کی", "ایجنسی <mark>کے</mark> لیے"},
	} {
		got, ok := Mark(c.text, NewQuery(QueryTokens(c.q)), 0)
		if !ok || string(got) != c.want {
			t.Errorf("Mark(%q, %q) = %q, want %q", c.text, c.q, got, c.want)
		}
	}
	// A snippet cut in a long Chinese text keeps the match in it.
	long := strings.Repeat("这是一段很长的文字。", 20) + "他们扣押了护照。" + strings.Repeat("没有关系的内容。", 20)
	cut, ok := Mark(long, NewQuery(QueryTokens("护照")), 30)
	if !ok || !strings.Contains(string(cut), "<mark>护照</mark>") || !strings.HasPrefix(string(cut), "… ") {
		t.Errorf("cut Chinese snippet: %q", cut)
	}
}

// The shortcut for ASCII words gives what IndexTokens gives.
func TestWordTokensIsIndexTokens(t *testing.T) {
	for _, w := range []string{"driver", "Driver", "POLOGNE", "b2b", "ABC123", "x", strings.Repeat("A", 45), "Łódź", "café", "İstanbul", "الشركة", "签证", "hr5"} {
		got, want := wordTokens(w), IndexTokens(w)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("wordTokens(%q) = %q, IndexTokens gives %q", w, got, want)
		}
	}
}
