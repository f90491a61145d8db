// Package examples is the guide for partner developers' Go example of
// verifying a webhook's signature, with the standard library only; its
// test checks it, and the Python and JavaScript examples beside it,
// against the server's own signer.
package examples
