package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Reasons a URL is refused, as URLError.Reason (and the last part of the
// message key error.webhook.url.REASON).
const (
	ReasonInvalid      = "invalid"
	ReasonNotHTTPS     = "not_https"
	ReasonUnresolvable = "unresolvable"
	ReasonPrivate      = "private_address"
)

// URLError is a webhook URL refused by the guard.
type URLError struct {
	Reason string
	// Detail is for the server's log: never shown to partners.
	Detail string
}

func (e *URLError) Error() string { return "webhook url: " + e.Reason + ": " + e.Detail }

// ErrRefusedAddress is the error of a dial to an address that is not
// public: the delivery fails and is logged as "refused_address".
var ErrRefusedAddress = errors.New("webhook: address is not public")

// Resolver looks a host name up; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Guard decides which URLs may receive webhooks: HTTPS, on a name that
// resolves, every address of which is public. It also dials for the
// delivery client, so that the address connected to is one it checked at
// that moment (a name that resolved to a public address when the endpoint
// was registered and now resolves to 127.0.0.1 is refused: DNS rebinding).
type Guard struct {
	// Resolver is net.DefaultResolver when nil.
	Resolver Resolver
	// AllowLoopback admits http:// and loopback addresses (127.0.0.0/8,
	// ::1, localhost). For the test suite only: no flag or environment
	// variable of the server sets it.
	AllowLoopback bool
}

func (g *Guard) resolver() Resolver {
	if g != nil && g.Resolver != nil {
		return g.Resolver
	}
	return net.DefaultResolver
}

func (g *Guard) allowLoopback() bool { return g != nil && g.AllowLoopback }

// CheckURL parses raw and checks its scheme, host and every address its
// host resolves to now; it returns the parsed URL or a *URLError.
func (g *Guard) CheckURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return nil, &URLError{Reason: ReasonInvalid, Detail: "not an absolute URL"}
	}
	if u.User != nil {
		return nil, &URLError{Reason: ReasonInvalid, Detail: "credentials in the URL"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !g.allowLoopback() {
			return nil, &URLError{Reason: ReasonNotHTTPS, Detail: u.Scheme}
		}
	default:
		return nil, &URLError{Reason: ReasonNotHTTPS, Detail: u.Scheme}
	}
	if _, err := g.resolve(ctx, u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}

// resolve returns the addresses of host, every one of them allowed, or a
// *URLError.
func (g *Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return nil, &URLError{Reason: ReasonInvalid, Detail: "no host"}
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".internal") {
		if !g.allowLoopback() || !(host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			return nil, &URLError{Reason: ReasonPrivate, Detail: "local name"}
		}
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		ips, err := g.resolver().LookupIPAddr(ctx, host)
		if err != nil || len(ips) == 0 {
			return nil, &URLError{Reason: ReasonUnresolvable, Detail: host}
		}
		for _, ip := range ips {
			a, ok := netip.AddrFromSlice(ip.IP)
			if !ok {
				return nil, &URLError{Reason: ReasonUnresolvable, Detail: host}
			}
			addrs = append(addrs, a)
		}
	}
	for _, a := range addrs {
		if !g.Allowed(a) {
			return nil, &URLError{Reason: ReasonPrivate, Detail: a.String()}
		}
	}
	return addrs, nil
}

// nonPublic are the ranges no webhook may reach besides those netip
// classifies (loopback, private, link-local, multicast, unspecified).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fc00::/7"),        // unique local
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// Allowed reports whether a webhook may connect to a: a public unicast
// address (or a loopback one, when the test switch is on). An IPv4-mapped
// IPv6 address is judged as the IPv4 address it maps.
func (g *Guard) Allowed(a netip.Addr) bool {
	a = a.Unmap()
	if a.Zone() != "" {
		return false
	}
	if a.IsLoopback() {
		return g.allowLoopback()
	}
	if !a.IsValid() || a.IsUnspecified() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || !a.IsGlobalUnicast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// DialContext connects to addr (host:port) through an address of host
// that is allowed now: the name is resolved here, every address checked,
// and the connection is made to a checked address, which the dialer's
// Control checks once more before connecting.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		var ue *URLError
		if errors.As(err, &ue) && ue.Reason == ReasonPrivate {
			return nil, fmt.Errorf("%w: %s", ErrRefusedAddress, ue.Detail)
		}
		return nil, err
	}
	d := net.Dialer{Timeout: 10 * time.Second, Control: g.control}
	var last error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		last = err
	}
	return nil, last
}

// control refuses, just before connecting, an address that is not allowed.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !g.Allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrRefusedAddress, address)
	}
	return nil
}

// Client returns an HTTP client for deliveries: every connection made by
// the guard, no proxy from the environment, no redirect followed (a 3xx
// is answered as is, and counts as a failed attempt), timeout per request.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            g.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
