package server_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/server"
)

// listen serves e's application on a real loopback listener, so that
// fasthttp's own parser sees the raw bytes, and returns its address.
func listen(t *testing.T, e *apptest.Env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.App.Listener(ln)
	}()
	t.Cleanup(func() {
		e.App.ShutdownWithTimeout(5 * time.Second)
		<-done
	})
	return ln.Addr().String()
}

// rawRequest writes raw on a new connection and reads one response.
func rawRequest(t *testing.T, addr, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response to %.60q: %v", raw, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// quietLog fails when the log holds anything: bad input is answered, not
// logged.
func quietLog(t *testing.T, e *apptest.Env) {
	t.Helper()
	if log := e.Log.String(); log != "" {
		t.Errorf("bad input reached the log:\n%s", log)
	}
}

// A page-surface answer is the localised HTML error page with a request ID.
func wantPage(t *testing.T, what string, resp *http.Response, body string, status int, text string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d\n%s", what, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: content type %q", what, ct)
	}
	if !requestIDPattern.MatchString(resp.Header.Get("X-Request-ID")) {
		t.Errorf("%s: request ID %q", what, resp.Header.Get("X-Request-ID"))
	}
	if !strings.Contains(body, text) {
		t.Errorf("%s: page without %q:\n%s", what, text, body)
	}
	if id := resp.Header.Get("X-Request-ID"); id == "" || !strings.Contains(body, id) {
		t.Errorf("%s: page without its request ID %q", what, id)
	}
}

// An API answer is a problem document with the request ID.
func wantProblem(t *testing.T, what string, resp *http.Response, body string, status int, code string) {
	t.Helper()
	var p struct {
		Status    int    `json:"status"`
		Code      string `json:"code"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || resp.StatusCode != status || p.Status != status || p.Code != code {
		t.Errorf("%s: %d %q, want %d %s (%v)", what, resp.StatusCode, body, status, code, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: content type %q", what, ct)
	}
	if p.RequestID == "" || p.RequestID != resp.Header.Get("X-Request-ID") {
		t.Errorf("%s: request ID %q in the body, %q in the header", what, p.RequestID, resp.Header.Get("X-Request-ID"))
	}
}

func TestBadInputGetsACleanAnswer(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	addr := listen(t, e)
	big := strings.Repeat("a", 20<<10)

	resp, body := rawRequest(t, addr, "GET /fr/warnings HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\nX-Big: "+big+"\r\n\r\n")
	wantPage(t, "20 KB header on a page", resp, body, 431, "Les en-têtes de la demande sont trop volumineux")
	resp, body = rawRequest(t, addr, "GET /api/v1/warnings HTTP/1.1\r\nHost: x\r\nX-Big: "+big+"\r\n\r\n")
	wantProblem(t, "20 KB header on the API", resp, body, 431, "headers_too_large")

	resp, body = rawRequest(t, addr, "POST /en/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: abc\r\n\r\ntext=a")
	wantPage(t, "Content-Length: abc on a page", resp, body, 400, "Something is wrong with this request")
	resp, body = rawRequest(t, addr, "POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}")
	wantProblem(t, "Content-Length: abc on the API", resp, body, 400, "bad_request")

	broken := "--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n--xy"
	resp, body = rawRequest(t, addr, "POST /en/reports/new HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: "+strconv.Itoa(len(broken))+"\r\n\r\n"+broken)
	wantPage(t, "broken multipart body", resp, body, 400, "Something is wrong with this request")

	quietLog(t, e)
}

// Bodies past their route's limit are refused from the declared length,
// before the body is read: the client sends only the header and gets 413.
func TestBodiesPastTheLimitAreRefusedBeforeTheyAreRead(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	addr := listen(t, e)

	resp, body := rawRequest(t, addr, "POST /en/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n")
	wantPage(t, "2 MB login form", resp, body, 413, "The request is too large.")
	resp, body = rawRequest(t, addr, "POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
	wantProblem(t, "2 MB API check", resp, body, 413, "body_too_large")
	resp, body = rawRequest(t, addr, "POST /en/reports/new HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 30000000\r\n\r\n")
	wantPage(t, "30 MB report", resp, body, 413, "The request is too large.")
	// A chunked body is cut off at the limit.
	chunk := strings.Repeat("a", 64<<10)
	var b strings.Builder
	b.WriteString("POST /en/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
	for range 20 {
		b.WriteString("10000\r\n" + chunk + "\r\n")
	}
	b.WriteString("0\r\n\r\n")
	resp, body = rawRequest(t, addr, b.String())
	wantPage(t, "chunked 1.3 MB check", resp, body, 413, "The request is too large.")
	quietLog(t, e)
}

// A client that stops sending in the middle of its body gets a 408; one
// that stops reading its answer is cut off at the write timeout. Neither
// reaches the log, and the server goes on answering others.
func TestStalledClientsAreCutOffQuietly(t *testing.T) {
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond})
	addr := listen(t, e)

	resp, body := rawRequest(t, addr, "POST /en/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntext=abc")
	wantPage(t, "body that stops", resp, body, 408, "The request arrived too slowly")

	// Pipelined requests whose answers are never read.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetReadBuffer(1024)
	}
	req := strings.Repeat("GET /en/safety HTTP/1.1\r\nHost: x\r\n\r\n", 200)
	conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, req)

	r := e.Get(t, "/en/safety")
	if r.StatusCode != 200 {
		t.Errorf("another client while one stalls: %d", r.StatusCode)
	}
	quietLog(t, e)
}
