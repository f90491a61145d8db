// Package v1 serves the public JSON API under /api/v1: its own request and
// response types (frozen for v1, independent of the database rows),
// converters from the service types, and RFC 9457 problem documents.
package v1
