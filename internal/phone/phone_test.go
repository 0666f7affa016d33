package phone_test

import (
	"strings"
	"testing"

	"convene/internal/phone"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		raw, region string
		want        string
		err         string // a substring of the error; "" when none
	}{
		{"+13245768342", "", "+13245768342", ""},
		{"+1 (324) 576-8342", "DE", "+13245768342", ""},
		{"(324) 576-8342", "US", "+13245768342", ""},
		{"1 324 576 8342", "US", "+13245768342", ""},
		{"030 12345678", "DE", "+493012345678", ""},
		{"0151 12345678", "DE", "+4915112345678", ""},
		{"+49 30 12345678", "US", "+493012345678", ""},
		{"00 49 30 12345678", "FR", "+493012345678", ""},
		{"+1 000", "US", "", "+1 000 is"},
		{"+1 000 000 0000", "US", "", "+1 000 000 0000 is not a valid phone number"},
		{"(324) 576-8342", "", "", "has no country code"},
		{"(324) 576-8342", "XX", "", "has no country code"},
		{"+999 1234 5678", "US", "", "known country code"},
		{"1", "US", "", "not a phone number"},
		{"hello", "US", "", "not a phone number"},
		{"+1 324 576 8342 ext. 12", "US", "", "extension"},
	}
	for _, tt := range tests {
		t.Run(tt.raw+"/"+tt.region, func(t *testing.T) {
			got, err := phone.Numbering{}.Normalize(tt.raw, tt.region)
			if got != tt.want {
				t.Errorf("Normalize(%q, %q) = %q, want %q", tt.raw, tt.region, got, tt.want)
			}
			checkErr(t, err, tt.err)
		})
	}
}

// checkErr checks that err is nil when want is "", else contains want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("err = %v, want none", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("err = %v, want one containing %q", err, want)
	}
}

func TestKnownRegion(t *testing.T) {
	tests := []struct {
		region string
		want   bool
	}{
		{"US", true}, {"DE", true}, {"GB", true}, {"XX", false}, {"us", false}, {"", false}, {"001", false},
	}
	for _, tt := range tests {
		if got := phone.KnownRegion(tt.region); got != tt.want {
			t.Errorf("KnownRegion(%q) = %v, want %v", tt.region, got, tt.want)
		}
	}
}

// TestDisplay: E.164 shown as people write it; what does not parse as it is.
func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{
		"+13245768342":  "+1 324-576-8342",
		"+442079460958": "+44 20 7946 0958",
		"":              "",
		"not a number":  "not a number",
	} {
		if got := phone.Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}
