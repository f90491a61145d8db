package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"forewarn/app/web"
)

// memberLimits slow down what members post, per member and per IP address
// (members' IP limits are higher than visitors': an office or a shelter
// may share one address), so that a few accounts cannot flood the queue.
// Each handler skips visitors, whom the visitors' limits cover, and
// moderators and admins, who are vetted and accountable.
type memberLimits struct {
	report, reportIP, reply, flag, flagIP fiber.Handler
}

// Members' limits per hour.
const (
	memberReportsPerHour  = 10
	memberRepliesPerHour  = 15
	memberFlagsPerHour    = 20
	membersReportsPerIPHr = 30
	membersFlagsPerIPHr   = 60
	memberLimitWindow     = time.Hour
)

func newMemberLimits(opts Options) memberLimits {
	return memberLimits{
		report:   memberLimit(opts, "report", memberReportsPerHour),
		reportIP: memberIPLimit(opts, "member-report", membersReportsPerIPHr),
		// Replies are limited per IP address for everyone already.
		reply:  memberLimit(opts, "reply", memberRepliesPerHour),
		flag:   memberLimit(opts, "flag", memberFlagsPerHour),
		flagIP: memberIPLimit(opts, "member-flag", membersFlagsPerIPHr),
	}
}

// memberLimit allows max requests of one member to scope per hour.
func memberLimit(opts Options, scope string, max int) fiber.Handler {
	return limiter.New(limiter.Config{
		Next:       func(c *fiber.Ctx) bool { return !web.SignedInMember(c) },
		Max:        max,
		Expiration: memberLimitWindow,
		KeyGenerator: func(c *fiber.Ctx) string {
			return "rl:member:" + scope + ":" + strconv.FormatInt(web.ViewerID(c), 10)
		},
		Storage:      opts.Storage,
		LimitReached: func(*fiber.Ctx) error { return fiber.ErrTooManyRequests },
	})
}

// memberIPLimit allows max requests of all members behind one IP address
// to scope per hour.
func memberIPLimit(opts Options, scope string, max int) fiber.Handler {
	return limit(opts, scope, max, memberLimitWindow, false, func(c *fiber.Ctx) bool { return !web.SignedInMember(c) })
}
