package apptest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	v1 "forewarn/app/api/v1"
)

func init() {
	// JSON Lines is read as text: TestExportJSONL checks each line against
	// ExportWarning. STIX bundles are JSON.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/stix+json", openapi3filter.JSONBodyDecoder)
}

// contractHost is the host the document's server is moved to, so that the
// router matches the test's relative request paths.
const contractHost = "http://forewarn.test"

var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// contractRouter loads, validates and routes the embedded OpenAPI document
// once per process.
func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(v1.OpenAPIDocument())
		if err != nil {
			contract.err = fmt.Errorf("load the OpenAPI document: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = fmt.Errorf("the OpenAPI document is invalid: %w", err)
			return
		}
		doc.Servers = openapi3.Servers{{URL: contractHost + "/api/v1"}}
		contract.doc = doc
		contract.router, contract.err = legacy.NewRouter(doc)
	})
	return contract.router, contract.err
}

// OpenAPI returns the OpenAPI document that every answer of Env.Do is
// checked against, loaded and validated once per process, for tests that
// check a value against one of its schemas. It must not be changed.
func OpenAPI(t testing.TB) *openapi3.T {
	t.Helper()
	if _, err := contractRouter(); err != nil {
		t.Fatal(err)
	}
	return contract.doc
}

// covered reports whether the contract checks the answer to a request for
// path: everything under /api/v1/ except the document itself.
func covered(method, path string) bool {
	return strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/openapi.json" &&
		method != http.MethodOptions
}

// CheckAPIResponse says how the answer to a request for target (a path
// with its query) does not match the OpenAPI document: nil when it does,
// or when the request is not under /api/v1/ (the document itself and CORS
// preflights aside). A route the document does not describe is a mismatch,
// unless the server agrees that it does not exist (404 or 405 with a
// problem document). Every answer that Env.Do returns is checked so.
func CheckAPIResponse(method, target string, status int, header http.Header, body []byte) error {
	u, err := url.Parse(contractHost + target)
	if err != nil {
		return fmt.Errorf("parse %s: %w", target, err)
	}
	if !covered(method, u.Path) {
		return nil
	}
	router, err := contractRouter()
	if err != nil {
		return err
	}
	routeMethod, withBody := method, true
	if method == http.MethodHead {
		routeMethod, withBody = http.MethodGet, false
	}
	req := &http.Request{Method: routeMethod, URL: u, Header: http.Header{}}
	route, params, err := router.FindRoute(req)
	if err != nil {
		if (status == http.StatusNotFound || status == http.StatusMethodNotAllowed) && isProblem(header) {
			return nil
		}
		return fmt.Errorf("not in the OpenAPI document: %w", err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	if status == http.StatusNotModified || !withBody {
		opts.ExcludeResponseBody = true
	} else if body, err = decoded(header, body); err != nil {
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	return undeclaredHeaders(route.Operation.Responses, status, header)
}

// declaredHeaders are headers the document names on the answers that can
// carry them: the server must not send one on an answer whose description
// leaves it out (the validation above checks only the headers described).
var declaredHeaders = []string{"Access-Control-Allow-Origin", "RateLimit", "RateLimit-Policy", "Retry-After"}

// undeclaredHeaders says which of declaredHeaders the answer carries
// although the document's response for its status does not describe them.
func undeclaredHeaders(responses *openapi3.Responses, status int, header http.Header) error {
	ref := responses.Status(status)
	if ref == nil {
		ref = responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("no response %d in the OpenAPI document", status)
	}
	var missing []string
	for _, name := range declaredHeaders {
		if header.Get(name) != "" && ref.Value.Headers[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("response %d sends %s, which the document does not describe", status, strings.Join(missing, ", "))
	}
	return nil
}

func isProblem(header http.Header) bool {
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	return mt == "application/problem+json"
}

// decoded undoes the response's Content-Encoding.
func decoded(header http.Header, body []byte) ([]byte, error) {
	var r io.Reader
	switch enc := strings.TrimSpace(header.Get("Content-Encoding")); enc {
	case "", "identity":
		return body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		r = zr
	case "deflate":
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("deflate body: %w", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		return nil, errors.New("unknown Content-Encoding " + enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode %s body: %w", header.Get("Content-Encoding"), err)
	}
	return out, nil
}

// checkContract fails t when the answer to req does not match the
// document.
func (e *Env) checkContract(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if err := CheckAPIResponse(req.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header, body); err != nil {
		t.Errorf("%s %s (%d) does not match the OpenAPI document: %v\n%.600s", req.Method, req.URL.RequestURI(), resp.StatusCode, err, body)
	}
}
