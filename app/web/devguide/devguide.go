// Package devguide holds what the guide for partner developers shows that
// is not a translation: the examples of verifying a webhook's signature,
// embedded from the files that examples' tests run against the server's
// own signer (app/webhook), so that the page shows exactly the tested code.
package devguide

import _ "embed"

// The examples of verifying a webhook delivery, as the page shows them.
var (
	//go:embed examples/verify.go
	Go string
	//go:embed examples/verify.py
	Python string
	//go:embed examples/verify.js
	JavaScript string
)
