-- warnings lists with a random filter (country, category, severity, a pair
-- or none) and a random page within the filter's range (crawler-like)
local langs = {"en","fr","nl","es","ro","uk","ar","fa"}
local countries = {"UA","MD","RO","PL","DE","NL","BE","FR","ES","IT","GB","PT","GR","TR","SY","AF","IR","MA","NG","PH","NP","IN","VN","CO","VE","GE","UZ","KG"}
local cats = {"fake-job-offer","fake-travel-agency","fake-documents","sham-marriage","smuggling","debt-bondage","wage-theft","exploitation-construction","exploitation-agriculture","exploitation-transport","exploitation-cleaning","exploitation-hospitality"}
local sevs = {"info","caution","warning","danger"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local lang = langs[math.random(#langs)]
  local r = math.random(5)
  local q
  if r == 1 then
    q = "country=" .. countries[math.random(#countries)] .. "&page=" .. math.random(350)
  elseif r == 2 then
    q = "category=" .. cats[math.random(#cats)] .. "&page=" .. math.random(400)
  elseif r == 3 then
    q = "country=" .. countries[math.random(#countries)] .. "&category=" .. cats[math.random(#cats)] .. "&page=" .. math.random(30)
  elseif r == 4 then
    q = "severity=" .. sevs[math.random(#sevs)] .. "&page=" .. math.random(1250)
  else
    q = "page=" .. math.random(5000)
  end
  return wrk.format("GET", "/" .. lang .. "/warnings?" .. q, {["Accept-Encoding"] = "gzip"})
end
