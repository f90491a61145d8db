-- search, uncached: each request asks /{lang}/search for a query drawn at
-- random from FW_QUERIES, a file of one URL-encoded query per line (made by
-- loadtest/search-queries.sh); run the server with -page-cache-ttl 0 so
-- that no answer is reused. With FW_API=1 it asks the JSON API instead
-- (/api/v1/search), which renders no page.
local file = os.getenv("FW_QUERIES") or "/tmp/search-queries.txt"
local api = os.getenv("FW_API") == "1"
local queries = {}
for line in io.lines(file) do
  if line ~= "" then queries[#queries + 1] = line end
end
local langs = {"en", "fr", "uk", "ar", "es"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local q = queries[math.random(#queries)]
  local path = "/" .. langs[math.random(#langs)] .. "/search?q=" .. q
  if api then
    path = "/api/v1/search?q=" .. q
  end
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip"})
end
