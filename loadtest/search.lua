-- search, uncached: each request asks /{lang}/search for a query drawn at
-- random from FW_QUERIES, a file of one URL-encoded query per line (made by
-- loadtest/search-queries.sh); run the server with -page-cache-ttl 0 so
-- that no answer is reused.
local file = os.getenv("FW_QUERIES") or "/tmp/search-queries.txt"
local queries = {}
for line in io.lines(file) do
  if line ~= "" then queries[#queries + 1] = line end
end
local langs = {"en", "fr", "uk", "ar", "es"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local q = queries[math.random(#queries)]
  local path = "/" .. langs[math.random(#langs)] .. "/search?q=" .. q
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip"})
end
