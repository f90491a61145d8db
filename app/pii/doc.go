// Package pii finds the passages of a post that look like the poster's own
// personal data — passport and national identity numbers, and the poster's own
// e-mail addresses — so that the post can be held for a moderator, who may
// redact them.
//
// Scan works on text in any script, read through app/textnorm as app/extract
// reads it: invisible format characters (zero-width, bidi controls, soft
// hyphen) are ignored, full-width forms, Arabic-Indic, Persian and other
// decimal digits are read as ASCII, while the offsets it reports are
// always byte offsets into the original text. E-mail addresses are reported
// only when they belong to the poster; other people's (recruiters',
// scammers') are what a warning is made of and are left alone. Phone numbers
// are never reported: accounts store no phone number to compare with.
package pii
