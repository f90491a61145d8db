-- the experiences list as a logged-in member (uncached): FW_COOKIE holds
-- the session cookie; FW_REPORTS_MODE=random adds random filters and pages
local cookie = os.getenv("FW_COOKIE") or ""
local mode = os.getenv("FW_REPORTS_MODE") or "first"
local langs = {"en","fr","nl","es","ro","uk","ar","fa","ru","pl","tr","pt"}
local countries = {"UA","MD","RO","PL","DE","NL","BE","FR","ES","IT","GB","PT","GR","TR","SY","AF","IR","MA","NG","PH","NP","IN","VN","CO","VE","GE","UZ","KG"}
local cats = {"fake-job-offer","fake-travel-agency","fake-documents","sham-marriage","smuggling","debt-bondage","wage-theft","exploitation-construction","exploitation-agriculture","exploitation-transport","exploitation-cleaning","exploitation-hospitality"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local path = "/en/reports"
  if mode == "random" then
    local r = math.random(4)
    if r == 1 then path = path .. "?lang=" .. langs[math.random(#langs)] .. "&page=" .. math.random(380)
    elseif r == 2 then path = path .. "?country=" .. countries[math.random(#countries)] .. "&page=" .. math.random(250)
    elseif r == 3 then path = path .. "?category=" .. cats[math.random(#cats)] .. "&page=" .. math.random(380)
    else path = path .. "?page=" .. math.random(4600) end
  end
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip", ["Cookie"] = cookie})
end
