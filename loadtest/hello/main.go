// Command hello serves a minimal Fiber handler, the baseline that load
// figures of Forewarn are given beside: on a shared, noisy machine, a
// figure means something only next to what the same machine does, in the
// same run, with the least a Fiber server can do.
//
//	go run ./loadtest/hello -listen 127.0.0.1:8099
//	wrk -t2 -c64 -d10s http://127.0.0.1:8099/
package main

import (
	"flag"
	"log"

	"github.com/gofiber/fiber/v2"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8099", "address to listen on")
	flag.Parse()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("hello") })
	log.Fatal(app.Listen(*listen))
}
