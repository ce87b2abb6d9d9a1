-- Shared by the wrk scripts of bench/perf_bench.py: "key=value" arguments, the check of every
-- answer, and the summary line the orchestrator reads. A figure is never the cost of a failure:
-- an answer with another status, or a body outside the expected size, counts as bad, and the
-- orchestrator discards a run with any bad answer.
local M = {}

local threads = {}
local next_id = 0

-- wrk's setup(): numbers the threads (the global `id` of each thread's script).
function M.setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Arguments after "--": key=value; "header=Name: value" may repeat.
function M.parse(args)
  local opts = {headers = {}}
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if not key then
      error("bad argument " .. arg .. " (expected key=value)")
    elseif key == "header" then
      local name, v = value:match("^([^:]+):%s*(.*)$")
      opts.headers[name] = v
    else
      opts[key] = value
    end
  end
  bad = 0
  first_bad = ""
  expected = tonumber(opts.status or "200")
  min_body = tonumber(opts.min_body or "0")
  max_body = tonumber(opts.max_body or "1e12")
  for name, value in pairs(opts.headers) do
    wrk.headers[name] = value
  end
  return opts
end

-- Checks one answer; returns true when it is the expected one.
function M.check(status, body)
  local size = body and #body or 0
  if status == expected and size >= min_body and size <= max_body then
    return true
  end
  bad = bad + 1
  if first_bad == "" then
    local text = (body or ""):sub(1, 300):gsub("[\r\n]", " ")
    first_bad = string.format("status %d (expected %d), %d bytes: %s", status, expected, size, text)
  end
  return false
end

-- wrk's done(): one line "PERF {json}", and "PERF_BAD <first bad answer>" when there was one.
function M.done(summary, latency, requests)
  local total_bad, first = 0, ""
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    local text = thread:get("first_bad")
    if first == "" and text ~= "" then
      first = text
    end
  end
  local e = summary.errors
  io.write(string.format(
    'PERF {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %.1f, "p99_us": %.1f, ' ..
    '"max_us": %.1f, "socket_errors": %d, "status_errors": %d, "bad": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    total_bad))
  if first ~= "" then
    io.write("PERF_BAD " .. first .. "\n")
  end
end

return M
