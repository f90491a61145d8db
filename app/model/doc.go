// Package model holds the GORM rows and the domain enums of Forewarn. It
// contains no queries: persistence lives in package store.
package model
