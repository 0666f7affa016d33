// Package phone normalises phone numbers with libphonenumber's metadata
// (github.com/nyaruka/phonenumbers), so that the domain package can stay
// free of the dependency and its data.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"convene"
)

// Numbering turns phone numbers as typed into E.164. The zero value is ready
// to use and safe for concurrent use.
type Numbering struct{}

var _ convene.PhoneNumbering = Numbering{}

// Normalize returns raw in E.164 form (+13245768342). region, an ISO 3166
// alpha-2 code such as "US", applies to numbers typed without a country
// code. The number must be valid for its country, not merely of a plausible
// length: a mistyped area code is caught here rather than when a text
// message bounces. Errors are sentences a person can act on.
func (Numbering) Normalize(raw, region string) (e164 string, err error) {
	// The library parses arbitrary text with hand-written code; a panic on
	// some odd input must cost one entry, not the request.
	defer func() {
		if r := recover(); r != nil {
			e164, err = "", fmt.Errorf("%s is not a valid phone number", raw)
		}
	}()
	n, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return "", parseError(raw, region, err)
	}
	// E.164 has no room for an extension: accepting one would silently
	// reach the switchboard instead of the person.
	if n.GetExtension() != "" {
		return "", fmt.Errorf("%s has an extension; enter the number without it", raw)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%s is not a valid phone number", raw)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// parseError rewords the library's errors, which are written for
// programmers, for the person who typed the number.
func parseError(raw, region string, err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode) && strings.HasPrefix(strings.TrimSpace(raw), "+"):
		return fmt.Errorf("%s does not start with a known country code", raw)
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode) && !KnownRegion(region):
		return fmt.Errorf("%s has no country code; start it with + and the country code", raw)
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return fmt.Errorf("%s does not start with a known country code", raw)
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return fmt.Errorf("%s is too short to be a phone number", raw)
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return fmt.Errorf("%s is too long to be a phone number", raw)
	}
	return fmt.Errorf("%s is not a phone number", raw)
}

// KnownRegion is the package's KnownRegion, for convene.PhoneNumbering.
func (Numbering) KnownRegion(region string) bool { return KnownRegion(region) }

// KnownRegion reports whether region (upper case, such as "US" or "DE") is
// one libphonenumber has numbering data for, i.e. one that may serve as a
// tenant's default region.
func KnownRegion(region string) bool {
	// The library returns its own map: read it, never modify it.
	return phonenumbers.GetSupportedRegions()[region]
}

// Display formats an E.164 number for people, in the international form
// its country writes it in (+1 324-576-8342). Anything it cannot parse is
// returned as it is: showing the stored form beats showing nothing.
func Display(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
