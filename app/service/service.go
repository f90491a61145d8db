package service

import (
	"time"

	"forewarn/app/store"
)

// Services bundles the rule sets the HTTP surfaces call.
type Services struct {
	Warnings *Warnings
	Users    *Users
	Instance *Instance
	Importer *Importer
}

// New wires the services over one store. now is the clock (time.Now in
// production, a fixed time in tests).
func New(st *store.Store, now func() time.Time) *Services {
	warnings := newWarnings(st, now)
	return &Services{
		Warnings: warnings,
		Users:    &Users{store: st, now: now},
		Instance: &Instance{store: st},
		Importer: &Importer{store: st, warnings: warnings, now: now},
	}
}
