package server_test

import (
	"net/http"
	"strconv"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/extract/vectors"
	"forewarn/app/model"
	"forewarn/app/service"
)

// TestAPITestVectorsMatchServer serves the vectors, checks each against the
// server's own normalisation (service.NormalizeIndicator and service.Hash,
// the path every stored indicator takes), and answers If-None-Match with 304.
func TestAPITestVectorsMatchServer(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/api/v1/indicators/test-vectors")
	wantStatus(t, r, http.StatusOK)
	etag := r.Header.Get("ETag")
	if etag == "" || etag[0] != '"' {
		t.Fatalf("ETag %q, want a strong one", etag)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=86400" {
		t.Errorf("Cache-Control %q", cc)
	}
	f := decode[vectors.File](t, r)
	if len(f.Vectors) < 150 {
		t.Fatalf("%d vectors, want at least 150", len(f.Vectors))
	}
	accepted := 0
	for _, v := range f.Vectors {
		var regions []string
		if v.Country != "" {
			regions = []string{v.Country}
		}
		ind, err := service.NormalizeIndicator(service.RawIndicator{Kind: model.IndicatorKind(v.Kind), Platform: v.Platform, Value: v.Input}, regions...)
		if (err == nil) != v.Accepted {
			t.Errorf("%s %q: server accepts it: %v (%v), vector says %v", v.Kind, v.Input, err == nil, err, v.Accepted)
			continue
		}
		if err != nil {
			continue
		}
		accepted++
		if ind.Normalized != v.Normalized || ind.Hash != v.SHA256 || string(ind.Kind) != v.StoredKind {
			t.Errorf("%s %q: server stores %s %q %s, vector says %s %q %s", v.Kind, v.Input, ind.Kind, ind.Normalized, ind.Hash, v.StoredKind, v.Normalized, v.SHA256)
		}
	}
	if accepted < 150 {
		t.Errorf("%d accepted vectors, want at least 150", accepted)
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		r = e.Get(t, "/api/v1/indicators/test-vectors", "If-None-Match", inm)
		wantStatus(t, r, http.StatusNotModified)
		if r.Body != "" || r.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: 304 with body %q, ETag %q", inm, r.Body, r.Header.Get("ETag"))
		}
	}
	r = e.Get(t, "/api/v1/indicators/test-vectors", "If-None-Match", `"v-stale"`)
	wantStatus(t, r, http.StatusOK)
}

// TestAPITestVectorsAsStored stores vectors' inputs as the indicators of a
// warning, through the importer, and reads their normal forms and hashes
// back from the API.
func TestAPITestVectorsAsStored(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]vectors.Vector{}
	var raws []service.RawIndicator
	for _, v := range f.Vectors {
		// A phone without country code is read in the route's countries,
		// not in the vector's: only international numbers here.
		if !v.Accepted || v.Country != "" || v.Kind == "phone" && v.Input[0] != '+' {
			continue
		}
		if _, dup := want[v.Input]; dup {
			continue
		}
		want[v.Input] = v
		raws = append(raws, service.RawIndicator{Kind: model.IndicatorKind(v.Kind), Platform: v.Platform, Value: v.Input})
	}
	id := e.Warning(t, apptest.WithIndicators(raws...))
	r := e.Get(t, "/api/v1/warnings/"+strconv.FormatInt(id, 10))
	wantStatus(t, r, http.StatusOK)
	w := decode[v1.Warning](t, r)
	seen := 0
	for _, ind := range w.Indicators {
		v, ok := want[ind.Value]
		if !ok {
			continue
		}
		seen++
		if ind.Normalized != v.Normalized || ind.SHA256 != v.SHA256 || ind.Kind != v.StoredKind {
			t.Errorf("%q stored as %s %q %s, vector says %s %q %s", ind.Value, ind.Kind, ind.Normalized, ind.SHA256, v.StoredKind, v.Normalized, v.SHA256)
		}
	}
	if seen < 50 {
		t.Errorf("%d of %d vectors read back from the warning, want at least 50", seen, len(raws))
	}
}
