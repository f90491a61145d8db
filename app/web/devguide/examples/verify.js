const crypto = require("node:crypto");

// verify is true when body (a Buffer of the raw request body) is a delivery
// signed with secret ("whsec_…") and sent less than 5 minutes ago.
// headers: Node's req.headers (lower-case names).
function verify(secret, headers, body, now = Date.now() / 1000) {
  const id = headers["webhook-id"] || "";
  const timestamp = headers["webhook-timestamp"] || "";
  if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > 5 * 60) {
    return false;
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = crypto.createHmac("sha256", key)
    .update(`${id}.${timestamp}.`).update(body).digest();
  for (const sig of (headers["webhook-signature"] || "").split(" ")) {
    const [version, value = ""] = sig.split(",");
    const got = Buffer.from(value, "base64");
    if (version === "v1" && got.length === expected.length &&
        crypto.timingSafeEqual(got, expected)) {
      return true;
    }
  }
  return false;
}

module.exports = { verify };
