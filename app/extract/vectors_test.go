package extract_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"forewarn/app/extract"
	"forewarn/app/extract/vectors"
)

var updateVectors = flag.Bool("update", false, "rewrite the outputs of vectors/vectors.json from package extract")

const vectorsPath = "vectors/vectors.json"

// normalizeVector computes what the server stores for a vector's input, the
// way service.NormalizeIndicator does: the stored kind, the normalised form
// and its SHA-256.
func normalizeVector(v vectors.Vector) vectors.Vector {
	out := vectors.Vector{Kind: v.Kind, Platform: v.Platform, Input: v.Input, Country: v.Country}
	kind := v.Kind
	var n string
	var ok bool
	switch v.Kind {
	case "phone":
		var regions []string
		if v.Country != "" {
			regions = []string{v.Country}
		}
		n, ok = extract.NormalizePhone(v.Input, regions...)
	case "email":
		n, ok = extract.NormalizeEmail(v.Input)
	case "link":
		var k extract.Kind
		k, _, n, ok = extract.NormalizeLink(v.Input)
		kind = string(k)
	case "social":
		n, ok = extract.NormalizeHandle(v.Platform, v.Input)
	case "bank_account":
		n, ok = extract.NormalizeIBAN(v.Input)
	case "company":
		n = extract.FoldName(v.Input)
		ok = n != ""
	}
	if !ok || n == "" {
		return out
	}
	sum := sha256.Sum256([]byte(n))
	out.Accepted, out.StoredKind, out.Normalized, out.SHA256 = true, kind, n, hex.EncodeToString(sum[:])
	return out
}

// TestVectors checks every vector against package extract; with -update it
// rewrites the outputs instead.
func TestVectors(t *testing.T) {
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	if *updateVectors {
		for i, v := range f.Vectors {
			f.Vectors[i] = normalizeVector(v)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vectorsPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(f.Vectors) < 150 {
		t.Errorf("%d vectors, want at least 150", len(f.Vectors))
	}
	kinds := map[string]int{}
	for _, v := range f.Vectors {
		kinds[v.Kind]++
		if got := normalizeVector(v); got != v {
			t.Errorf("vector %s %q (platform %q, country %q):\n code    %+v\n vectors %+v", v.Kind, v.Input, v.Platform, v.Country, got, v)
		}
	}
	for _, k := range []string{"phone", "email", "link", "social", "bank_account", "company"} {
		if kinds[k] < 10 {
			t.Errorf("%d vectors of kind %s, want at least 10", kinds[k], k)
		}
	}
}
