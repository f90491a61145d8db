package examples

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"forewarn/app/webhook"
)

// delivery is one message a receiver gets, and whether it must accept it.
type delivery struct {
	Name      string `json:"name"`
	Secret    string `json:"secret"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
	Body      string `json:"body"` // base64
	Now       int64  `json:"now"`
	Want      bool   `json:"want"`
}

// deliveries signs messages with the server's own signer: genuine ones
// and ones a receiver must refuse.
func deliveries(t *testing.T) []delivery {
	t.Helper()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	other, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"warning.published","timestamp":"2026-12-01T12:00:00Z","data":{"id":42,"url":"https://forewarn.example/en/warnings/42","lang":"ar","countries":["SY","TR"],"severity":"danger","title":"وظيفة سائق وهمية — ضريبة 1,500 €"}}`)
	sign := func(secret, id string, at time.Time, body []byte) string {
		s, err := webhook.Sign(secret, id, at, body)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mk := func(name, secret, id string, at time.Time, sig string, body []byte, want bool) delivery {
		return delivery{Name: name, Secret: secret, ID: id, Timestamp: strconv.FormatInt(at.Unix(), 10), Signature: sig,
			Body: base64.StdEncoding.EncodeToString(body), Now: now.Unix(), Want: want}
	}
	id := "msg_2Rn8cXkzA1"
	good := sign(secret, id, now, body)
	tampered := bytes.Replace(body, []byte(`"danger"`), []byte(`"caution"`), 1)
	old, soon := now.Add(-6*time.Minute), now.Add(6*time.Minute)
	recent := now.Add(-4 * time.Minute)
	_, bad, _ := strings.Cut(sign(other, id, now, body), ",")
	return []delivery{
		mk("genuine", secret, id, now, good, body, true),
		mk("genuine, sent 4 minutes ago", secret, id, recent, sign(secret, id, recent, body), body, true),
		mk("genuine among several signatures (secret rotation)", secret, id, now, "v1,"+bad+" "+good, body, true),
		mk("genuine, empty body", secret, id, now, sign(secret, id, now, nil), nil, true),
		mk("tampered body", secret, id, now, good, tampered, false),
		mk("body with a byte added", secret, id, now, good, append(append([]byte{}, body...), '\n'), false),
		mk("another message's ID", secret, "msg_other", now, good, body, false),
		mk("signed with another secret", secret, id, now, sign(other, id, now, body), body, false),
		mk("6 minutes old (a replay)", secret, id, old, sign(secret, id, old, body), body, false),
		mk("6 minutes ahead", secret, id, soon, sign(secret, id, soon, body), body, false),
		mk("timestamp changed after signing", secret, id, recent, good, body, false),
		mk("unknown signature version", secret, id, now, "v2,"+strings.TrimPrefix(good, "v1,"), body, false),
		mk("no signature", secret, id, now, "", body, false),
		{Name: "timestamp not a number", Secret: secret, ID: id, Timestamp: "soon", Signature: good,
			Body: base64.StdEncoding.EncodeToString(body), Now: now.Unix()},
	}
}

func check(t *testing.T, lang string, cases []delivery, got []bool) {
	t.Helper()
	if len(got) != len(cases) {
		t.Fatalf("%s example answered %d deliveries, want %d", lang, len(got), len(cases))
	}
	for i, c := range cases {
		if got[i] != c.Want {
			t.Errorf("%s example: %s: accepted %v, want %v", lang, c.Name, got[i], c.Want)
		}
	}
}

func TestGoExampleVerifiesTheServersSignatures(t *testing.T) {
	cases := deliveries(t)
	var got []bool
	for _, c := range cases {
		h := http.Header{}
		h.Set("webhook-id", c.ID)
		h.Set("webhook-timestamp", c.Timestamp)
		h.Set("webhook-signature", c.Signature)
		body, _ := base64.StdEncoding.DecodeString(c.Body)
		got = append(got, Verify(c.Secret, h, body, time.Unix(c.Now, 0)) == nil)
	}
	check(t, "Go", cases, got)
}

// The harnesses read the deliveries as JSON on stdin and print, for each,
// whether the example accepted it.
const (
	pythonHarness = `import base64, json, sys
sys.path.insert(0, sys.argv[1])
from verify import verify
for c in json.load(sys.stdin):
    h = {"webhook-id": c["id"], "webhook-timestamp": c["timestamp"], "webhook-signature": c["signature"]}
    print("true" if verify(c["secret"], h, base64.b64decode(c["body"]), now=c["now"]) else "false")
`
	nodeHarness = `const { verify } = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => { input += d; }).on("end", () => {
  for (const c of JSON.parse(input)) {
    const h = { "webhook-id": c.id, "webhook-timestamp": c.timestamp, "webhook-signature": c.signature };
    console.log(verify(c.secret, h, Buffer.from(c.body, "base64"), c.now) ? "true" : "false");
  }
});
`
)

func TestPythonExampleVerifiesTheServersSignatures(t *testing.T) {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	// -B: no __pycache__ in the source tree.
	runExample(t, "Python", "python3", "-B", "-c", pythonHarness, dir)
}

func TestJavaScriptExampleVerifiesTheServersSignatures(t *testing.T) {
	file, err := filepath.Abs("verify.js")
	if err != nil {
		t.Fatal(err)
	}
	runExample(t, "JavaScript", "node", "-e", nodeHarness, file)
}

func runExample(t *testing.T, lang, bin string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("%s is not installed: the %s example of the developers' guide is NOT checked", bin, lang)
	}
	cases := deliveries(t)
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s example: %v\n%s", lang, err, stderr.String())
	}
	var got []bool
	for _, line := range strings.Fields(string(out)) {
		got = append(got, line == "true")
	}
	check(t, lang, cases, got)
}
