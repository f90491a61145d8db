package apptest

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/model"
	"forewarn/app/service"
)

// Client is a browser-like visitor: it keeps the cookies it is given and
// sends them back, and it reads the CSRF token of the forms it opens.
type Client struct {
	env     *Env
	cookies map[string]string
	// Token is the CSRF token of the last page read that had a form.
	Token string
	// Header is sent with every request that does not set it itself (for
	// example X-Forwarded-For, to come from an address of one's own).
	Header http.Header
}

// NewClient returns a visitor without cookies.
func (e *Env) NewClient() *Client {
	return &Client{env: e, cookies: map[string]string{}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// Get sends a GET with the client's cookies.
func (c *Client) Get(t testing.TB, target string, headers ...string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(t, req)
}

// Post sends a form; with the CSRF token of the last form read unless
// values sets _csrf itself.
func (c *Client) Post(t testing.TB, target string, values url.Values) Response {
	t.Helper()
	if values == nil {
		values = url.Values{}
	}
	if _, ok := values["_csrf"]; !ok && c.Token != "" {
		values.Set("_csrf", c.Token)
	}
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(t, req)
}

// Do sends req with the client's cookies and keeps those set in return.
func (c *Client) Do(t testing.TB, req *http.Request) Response {
	t.Helper()
	for name, values := range c.Header {
		if req.Header.Get(name) == "" {
			req.Header[name] = values
		}
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	r := c.env.Do(t, req)
	for _, ck := range r.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(Now)) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfField.FindStringSubmatch(r.Body); m != nil {
		c.Token = m[1]
	}
	return r
}

// Cookie returns the value of a cookie the client holds.
func (c *Client) Cookie(name string) string {
	return c.cookies[name]
}

// Register creates a member account through the form and stays signed in,
// on the account page (see Login).
func (c *Client) Register(t testing.TB, pseudonym, password string) Response {
	t.Helper()
	c.Get(t, "/en/register")
	r := c.Post(t, "/en/register", url.Values{"pseudonym": {pseudonym}, "password": {password}, "password_again": {password}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("register %s: status %d\n%.500s", pseudonym, r.StatusCode, r.Body)
	}
	c.Get(t, "/en/account")
	return r
}

// Login signs in through the form. Once signed in, it opens the account
// page, as a browser follows the redirect, and so holds the CSRF token the
// login gave the session (the token of before stops working).
func (c *Client) Login(t testing.TB, pseudonym, password string) Response {
	t.Helper()
	c.Get(t, "/en/login")
	r := c.Post(t, "/en/login", url.Values{"pseudonym": {pseudonym}, "password": {password}})
	if r.StatusCode == http.StatusSeeOther {
		c.Get(t, "/en/account")
	}
	return r
}

// PostMultipart sends a multipart form with files under "images", with the
// CSRF token of the last form read.
func (c *Client) PostMultipart(t testing.TB, target string, values url.Values, images ...[]byte) Response {
	t.Helper()
	if _, ok := values["_csrf"]; !ok && c.Token != "" {
		values.Set("_csrf", c.Token)
	}
	contentType, body := MultipartBody(t, values, images...)
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.Do(t, req)
}

// MultipartBody builds a multipart/form-data body of values and of images
// as the files of the field "images", and returns its Content-Type.
func MultipartBody(t testing.TB, values url.Values, images ...[]byte) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, img := range images {
		part, err := w.CreateFormFile("images", fmt.Sprintf("shot-%d.jpg", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(img); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

// Member creates an account with role and, for moderators, the languages
// and countries they cover, and returns a client signed in as it.
func (e *Env) Member(t testing.TB, pseudonym string, role model.Role, langs, countries []string) (*Client, model.User) {
	t.Helper()
	ctx := context.Background()
	u, err := e.Services.Users.Create(ctx, service.NewUser{Pseudonym: pseudonym, Password: "member password 123", Role: string(role)})
	if err != nil {
		t.Fatalf("create %s: %v", pseudonym, err)
	}
	if len(langs)+len(countries) > 0 {
		if err := e.Store.SetModeratorScope(ctx, u.ID, langs, countries); err != nil {
			t.Fatal(err)
		}
	}
	c := e.NewClient()
	if r := c.Login(t, pseudonym, "member password 123"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", pseudonym, r.StatusCode)
	}
	return c, u
}
