package server_test

import (
	"hash/crc32"

	"forewarn/app/service"
)

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

func serviceRegistration(name, email string) service.Registration {
	return service.Registration{Pseudonym: name, Password: goodPassword, PasswordAgain: goodPassword, Email: email}
}
