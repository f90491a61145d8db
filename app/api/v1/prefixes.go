package v1

import (
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"forewarn/app/service"
)

// UseIndicatorSync gives the handlers the keyed indicator look-ups; the
// server calls it once, before serving.
func (h *Handler) UseIndicatorSync(s *service.IndicatorSync) {
	h.sync = s
}

// PrefixesResponse is the answer of GET /indicators/prefixes. Prefixes are
// the first 8 bytes of the SHA-256 of normalised indicators, sorted in
// byte order and concatenated, then base64-encoded (standard alphabet, with
// padding).
type PrefixesResponse struct {
	// Token is given back as since to get the changes from this answer on.
	Token string `json:"token"`
	// Full is true when additions is the whole set (no since was sent):
	// the client replaces what it holds.
	Full          bool   `json:"full"`
	Additions     string `json:"additions"`
	AdditionCount int    `json:"addition_count"`
	Removals      string `json:"removals"`
	RemovalCount  int    `json:"removal_count"`
	// Count and Checksum describe the whole set after the update: the
	// lower-case hex SHA-256 of its sorted prefixes concatenated.
	Count    int    `json:"count"`
	Checksum string `json:"checksum"`
}

// Prefixes serves GET /api/v1/indicators/prefixes.
func (h *Handler) Prefixes(c *fiber.Ctx) error {
	up, err := h.sync.Prefixes(c.UserContext(), service.PrefixQuery{Since: c.Query("since"), Country: c.Query("country"), Kind: c.Query("kind")})
	if err != nil {
		return err
	}
	err = c.JSON(PrefixesResponse{
		Token: up.Token, Full: up.Full,
		Additions: encodePrefixes(up.Additions), AdditionCount: len(up.Additions),
		Removals: encodePrefixes(up.Removals), RemovalCount: len(up.Removals),
		Count: up.Count, Checksum: up.Checksum,
	})
	if err != nil {
		return err
	}
	compressPrefixes(c)
	return nil
}

// compressPrefixes compresses the answer with Huffman coding only when the
// server's compression chose gzip or deflate (it leaves the header with the
// one coding it chose, and a body already compressed alone). The base64 of
// random prefixes has nothing to find for LZ77, only the 6 bits per
// character Huffman coding saves: the default gzip level of fasthttp sends
// it nearly as is (100,000 prefixes: 1.05 MB), Huffman coding in 1/4 of
// it (0.80 MB), the same as brotli's default, which is left to the server.
func compressPrefixes(c *fiber.Ctx) {
	var body []byte
	enc := c.Get(fiber.HeaderAcceptEncoding)
	switch enc {
	case "gzip":
		body = fasthttp.AppendGzipBytesLevel(nil, c.Response().Body(), fasthttp.CompressHuffmanOnly)
	case "deflate":
		body = fasthttp.AppendDeflateBytesLevel(nil, c.Response().Body(), fasthttp.CompressHuffmanOnly)
	default:
		return
	}
	c.Response().SetBodyRaw(body)
	c.Set(fiber.HeaderContentEncoding, enc)
}

// encodePrefixes concatenates prefixes and encodes them in base64.
func encodePrefixes(ps [][service.PrefixLen]byte) string {
	raw := make([]byte, 0, len(ps)*service.PrefixLen)
	for _, p := range ps {
		raw = append(raw, p[:]...)
	}
	return base64.StdEncoding.EncodeToString(raw)
}
