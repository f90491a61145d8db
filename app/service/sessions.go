package service

import "forewarn/app/model"

// SessionValid reports whether a session opened for u in epoch may still
// act as u: a ban or a password change since then ends it.
func (us *Users) SessionValid(u model.User, epoch int64) bool {
	if u.SessionEpoch != epoch {
		return false
	}
	return u.BannedUntil == nil || !u.BannedUntil.After(us.now())
}
