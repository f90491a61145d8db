// Package extract finds the indicators in the text of a job ad or a message —
// phone numbers, e-mail addresses, links, social profiles, bank accounts and
// known company names — and normalises each, so that the same trace written
// in five ways is one value that can be matched against the indicators of
// published warnings.
//
// Extract reads text in any language and script: full-width forms,
// Arabic-Indic, Persian and other decimal digits, direction marks inside
// numbers and lightly obfuscated e-mail addresses. The offsets it reports are
// always byte offsets into the original text. The Normalize functions give
// the canonical forms that the rest of the application stores, so that stored
// indicators and extracted ones agree.
package extract
