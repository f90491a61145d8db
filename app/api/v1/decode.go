package v1

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"forewarn/app/apperr"
)

// maxJSONDepth bounds the nesting of a request body.
const maxJSONDepth = 32

// DecodeStrict reads a JSON request body into v as the OpenAPI document
// says bodies are read (additionalProperties: false): one JSON value in
// valid UTF-8, each object key once, no field v does not have, nothing
// after the value. Every refusal is an apperr.Invalid naming the field
// ("body" for the body as a whole), answered 400.
func DecodeStrict(body []byte, v any) error {
	if !utf8.Valid(body) {
		return &apperr.Invalid{Field: "body", Key: "error.encoding.invalid"}
	}
	if err := checkKeys(body, fieldNames(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &apperr.Invalid{Field: "body", Key: "error.json.trailing"}
	}
	return nil
}

// decodeError names the field a decoding error is about.
func decodeError(err error) error {
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if unquoted, uerr := strconv.Unquote(name); uerr == nil {
			name = unquoted
		}
		return &apperr.Invalid{Field: name, Key: "error.json.unknown_field"}
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return &apperr.Invalid{Field: typeErr.Field, Key: "error.json.invalid"}
	}
	return &apperr.Invalid{Field: "body", Key: "error.json.invalid"}
}

// fieldNames lists the JSON names of the fields of the struct v points
// to; nil for anything else.
func fieldNames(v any) map[string]bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	t = t.Elem()
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
	}
	return names
}

// checkKeys walks the tokens of body and refuses an object that names a
// key twice (encoding/json would keep the last one silently), a key of the
// top-level object not spelt exactly as one of fields (encoding/json
// would take "Text" for "text"), or nesting deeper than maxJSONDepth.
// Syntax errors are left to Decode.
func checkKeys(body []byte, fields map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object  bool
		keys    map[string]bool
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if key, ok := tok.(string); ok {
				if top.keys[key] {
					return &apperr.Invalid{Field: key, Key: "error.json.duplicate_field"}
				}
				if len(stack) == 1 && fields != nil && !fields[key] {
					return &apperr.Invalid{Field: key, Key: "error.json.unknown_field"}
				}
				top.keys[key] = true
				top.wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxJSONDepth {
				return &apperr.Invalid{Field: "body", Key: "error.json.invalid"}
			}
			stack = append(stack, &frame{object: tok == json.Delim('{'), keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}
