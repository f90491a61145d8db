package service

import (
	"time"

	"forewarn/app/store"
)

// Services bundles the rule sets the HTTP surfaces call.
type Services struct {
	Warnings   *Warnings
	Users      *Users
	Indicators *Indicators
	Instance   *Instance
	Importer   *Importer
}

// New wires the services over one store. now is the clock (time.Now in
// production, a fixed time in tests).
func New(st *store.Store, now func() time.Time) *Services {
	ind := &Indicators{store: st, now: now}
	warnings := newWarnings(st, now, ind)
	return &Services{
		Warnings:   warnings,
		Users:      &Users{store: st},
		Indicators: ind,
		Instance:   &Instance{store: st},
		Importer:   &Importer{store: st, indicators: ind, warnings: warnings, now: now},
	}
}
