-- One fixed request with a large answer (bench/perf_bench.py: loadTable of about 200 KB, and
-- nginx serving the same bytes). No response() hook: with one, wrk copies every body into Lua,
-- which for 200 KB answers makes wrk itself the bottleneck (nginx drops from about 37k to 11k
-- requests/s on 2 cores). The orchestrator checks these answers in aggregate instead: no status
-- of 400 or more (wrk's own count) and, from the bytes read, every answer the expected size, so
-- that a 304, an error or a short body in place of the metadata shows.
-- Arguments: method=<GET> header=<Name: value>...
local check = require("check")

setup = check.setup
done = check.done

function init(args)
  local opts = check.parse(args)
  wrk.method = opts.method or "GET"
end
