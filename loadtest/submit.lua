-- wrk -t2 -c16 -d20s -s loadtest/submit.lua http://127.0.0.1:PORT/api/v1/reports
-- with FOREWARN_KEY set to a key of scope submit issued with a high rate
-- limit (forewarn apikey add --org ID --scopes submit --name "load test"
-- --rate-limit 100000). Each request carries a distinct JSON body (and,
-- with IDEMPOTENT=1, a distinct Idempotency-Key); every answer but 201
-- counts as an error.
local key = os.getenv("FOREWARN_KEY") or ""
local idempotent = os.getenv("IDEMPOTENT") == "1"
local counter = 0
local thread_id = 0
local errors = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  prefix = tostring(tid or 0) .. "-" .. tostring(math.random(1, 1e9))
end

function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local body = '{"title":"Fake driver job ' .. id .. '","body":"A page offered driving jobs in Poland for a fee of ' ..
    (100 + counter % 900) .. ' euros. Call +44 7700 900' .. string.format("%03d", counter % 1000) ..
    '.","lang":"en","category":"fake-job-offer","seen_on":"facebook","origin":["UA"],"destination":["PL"]}'
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}
  if idempotent then
    headers["Idempotency-Key"] = "load-" .. id
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx/3xx %d, socket errors %d/%d/%d/%d\n", summary.requests,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
