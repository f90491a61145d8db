package webhook

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The example of the Standard Webhooks specification's reference
// libraries: this secret, ID, timestamp and body sign to this value.
func TestSignMatchesTheSpecificationsExample(t *testing.T) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	id := "msg_p5jXN8AQM9LWM0D4loKWxJek"
	ts := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	got, err := Sign(secret, id, ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	if err := Verify(secret, id, "1614265330", "v1,bm90IGl0 "+got, body, ts.Add(time.Minute)); err != nil {
		t.Fatalf("Verify of a good signature among others: %v", err)
	}
}

func TestVerifyRefusesTamperingAndReplays(t *testing.T) {
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 {
		t.Fatalf("secret %q", secret)
	}
	now := time.Now()
	sig, err := Sign(secret, "msg_1", now, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	cases := []struct {
		name           string
		secret, id, ts string
		sig            string
		body           string
		at             time.Time
		want           error
	}{
		{"good", secret, "msg_1", ts, sig, `{"a":1}`, now, nil},
		{"other body", secret, "msg_1", ts, sig, `{"a":2}`, now, ErrSignature},
		{"other id", secret, "msg_2", ts, sig, `{"a":1}`, now, ErrSignature},
		{"other secret", "whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "msg_1", ts, sig, `{"a":1}`, now, ErrSignature},
		{"v2 only", secret, "msg_1", ts, strings.Replace(sig, "v1,", "v2,", 1), `{"a":1}`, now, ErrSignature},
		{"too old", secret, "msg_1", ts, sig, `{"a":1}`, now.Add(6 * time.Minute), ErrTimestamp},
		{"from the future", secret, "msg_1", ts, sig, `{"a":1}`, now.Add(-6 * time.Minute), ErrTimestamp},
		{"no timestamp", secret, "msg_1", "", sig, `{"a":1}`, now, ErrTimestamp},
		{"broken secret", "whsec_***", "msg_1", ts, sig, `{"a":1}`, now, ErrSecret},
	}
	for _, c := range cases {
		err := Verify(c.secret, c.id, c.ts, c.sig, []byte(c.body), c.at)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
}
