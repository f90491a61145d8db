// Package vectors holds the test vectors of the normal forms of indicators:
// inputs written the ways offers write them, with the normalised form and
// the SHA-256 the server stores for each (docs/indicators.md is the spec).
// The outputs in vectors.json are generated from package extract and
// checked against it by its tests; regenerate them with go generate.
package vectors

//go:generate go test forewarn/app/extract -run ^TestVectors$ -update

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed vectors.json
var document []byte

// Vector is one input and what the server makes of it.
type Vector struct {
	// Kind is the kind the input is given as: phone, email, link, social,
	// bank_account or company.
	Kind string `json:"kind"`
	// Platform is the platform a social handle is given for.
	Platform string `json:"platform,omitempty"`
	Input    string `json:"input"`
	// Country is the ISO 3166-1 alpha-2 country a phone number written
	// without a country code is read in.
	Country string `json:"country,omitempty"`
	// Accepted is false when the server refuses the input as an
	// indicator of its kind; the fields below are then empty.
	Accepted bool `json:"accepted"`
	// StoredKind is the kind the indicator is stored as: a link to a
	// messenger chat or a profile is a phone or a social profile.
	StoredKind string `json:"stored_kind,omitempty"`
	Normalized string `json:"normalized,omitempty"`
	// SHA256 is the lower-case hex SHA-256 of the UTF-8 bytes of
	// Normalized, with nothing added.
	SHA256 string `json:"sha256,omitempty"`
}

// File is the document of the vectors.
type File struct {
	// Spec names the document that defines the normal forms.
	Spec string `json:"spec"`
	// Hash says what is hashed.
	Hash    string   `json:"hash"`
	Vectors []Vector `json:"vectors"`
}

// JSON returns the document as stored, the one the API serves.
func JSON() []byte { return document }

// Load decodes the document.
func Load() (File, error) {
	var f File
	if err := json.Unmarshal(document, &f); err != nil {
		return File{}, fmt.Errorf("decode test vectors: %w", err)
	}
	return f, nil
}
