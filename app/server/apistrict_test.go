package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
)

func TestAPIRequestBodiesAreStrict(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, tc := range []struct {
		name, body, field, code string
	}{
		{"unknown field", `{"text":"+44 7700 900123","colour":"red"}`, "colour", "error.json.unknown_field"},
		{"field differently cased", `{"Text":"+44 7700 900123"}`, "Text", "error.json.unknown_field"},
		{"duplicate key", `{"text":"harmless","text":"+44 7700 900123"}`, "text", "error.json.duplicate_field"},
		{"duplicate key later", `{"country":"GB","text":"x","country":"UA"}`, "country", "error.json.duplicate_field"},
		{"trailing document", `{"text":"+44 7700 900123"} {"text":"x"}`, "body", "error.json.trailing"},
		{"trailing garbage", `{"text":"+44 7700 900123"}]`, "body", "error.json.trailing"},
		{"wrong type", `{"text":5}`, "text", "error.json.invalid"},
		{"array", `[{"text":"x"}]`, "body", "error.json.invalid"},
		{"not JSON", `text=hello`, "body", "error.json.invalid"},
		{"broken UTF-8", "{\"text\":\"\xff\xfe\"}", "body", "error.encoding.invalid"},
		{"too deep", `{"text":"x","country":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "body", "error.json.invalid"},
	} {
		r := postJSON(t, e, "/api/v1/check", tc.body)
		p := wantProblemDoc(t, r, http.StatusBadRequest)
		if len(p.Errors) == 0 || p.Errors[0].Field != tc.field || p.Errors[0].Code != tc.code || p.Errors[0].Message == "" {
			t.Errorf("%s: errors %+v, want field %s code %s", tc.name, p.Errors, tc.field, tc.code)
		}
	}
	// The same rule for the request the document describes, unchanged.
	ok := postJSON(t, e, "/api/v1/check", `{"text":"call +44 7700 900123","country":"GB"}`)
	wantStatus(t, ok, http.StatusOK)
	if res := decode[v1.CheckResponse](t, ok); len(res.Indicators) != 1 {
		t.Errorf("valid body: %+v", res)
	}
	// Every property the request schema names is accepted, nothing else:
	// the decoder and the document agree.
	props := apptest.OpenAPI(t).Components.Schemas["CheckRequest"].Value
	if props.AdditionalProperties.Has == nil || *props.AdditionalProperties.Has {
		t.Fatal("CheckRequest does not say additionalProperties: false")
	}
	full := map[string]string{}
	for name := range props.Properties {
		full[name] = "GB"
	}
	full["text"] = "hello"
	body, _ := json.Marshal(full)
	wantStatus(t, postJSON(t, e, "/api/v1/check", string(body)), http.StatusOK)
}

func TestAPIProblemIsLocalisedForStrictBodies(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	en := wantProblemDoc(t, postJSON(t, e, "/api/v1/check", `{"text":"x","x":1}`), http.StatusBadRequest)
	uk := wantProblemDoc(t, postJSON(t, e, "/api/v1/check?lang=uk", `{"text":"x","x":1}`), http.StatusBadRequest)
	if en.Errors[0].Message == uk.Errors[0].Message || uk.Errors[0].Field != "x" {
		t.Errorf("not localised: en %q, uk %q", en.Errors[0].Message, uk.Errors[0].Message)
	}
}
