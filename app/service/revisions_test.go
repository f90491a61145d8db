package service

import (
	"testing"

	"forewarn/app/model"
)

func TestScrubRemovedKeepsOnlyWhatTheEditKept(t *testing.T) {
	t.Parallel()
	email := "olena.k@ukr.net"
	owner := ownerOf(&model.User{Email: &email}, []model.ReportCountry{{Country: "UA"}, {Country: "PL"}, {Country: "UA"}})
	for _, tc := range []struct{ name, old, current, want string }{
		{"nothing removed", "Call +380 67 123 4567 about the job.", "Call +380 67 123 4567 about the job, it is a trap.", "Call +380 67 123 4567 about the job."},
		{"phone removed", "Call me on +380 67 123 4567 please.", "Ask the moderators.", "Call me on [redacted] please."},
		{"same phone written otherwise", "Call +380 67 123 4567 now.", "The number was 0671234567.", "Call +380 67 123 4567 now."},
		{"local phone read in the route's country", "Call 067 123 4567 now.", "Ask the moderators.", "Call [redacted] now."},
		{"e-mail removed", "Write to OLENA.K@ukr.net or to boss@agency.example.", "Write to boss@agency.example.", "Write to [redacted] or to boss@agency.example."},
		{"passport removed", "My passport number is FE123456 and they kept it.", "They kept my passport.", "My passport number is [redacted] and they kept it."},
		{"two in a row", "+380671234567 olena.k@ukr.net", "gone", "[redacted] [redacted]"},
		{"not personal data", "Ivan Petrenko took 900 euros.", "Someone took 900 euros.", "Ivan Petrenko took 900 euros."},
		{"empty", "", "x", ""},
	} {
		if got := scrubRemoved(tc.old, tc.current, owner); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if len(owner.regions) != 3 {
		t.Errorf("regions %v", owner.regions)
	}
}
