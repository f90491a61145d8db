package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/model"
)

// ViewerID returns the ID of the signed-in member, or 0 for a visitor.
func ViewerID(c *fiber.Ctx) int64 {
	if u := viewer(c); u != nil {
		return u.ID
	}
	return 0
}

// SignedInMember reports whether the viewer is a signed-in member who is
// neither a moderator nor an admin.
func SignedInMember(c *fiber.Ctx) bool {
	u := viewer(c)
	return u != nil && u.Role == model.RoleMember
}
