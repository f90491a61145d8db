-- random warning pages across the 100,000, in a random interface language
local langs = {"en","fr","nl","es","ro","uk","ar","fa"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local path = string.format("/%s/warnings/%d", langs[math.random(#langs)], math.random(100000))
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip"})
end
