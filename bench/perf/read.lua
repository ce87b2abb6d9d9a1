-- One fixed request, sent as fast as the connections allow (bench/perf_bench.py).
-- Arguments: status=<expected> method=<GET|HEAD> min_body=<bytes> max_body=<bytes>
--            header=<Name: value>...
local check = require("check")

setup = check.setup
done = check.done

function init(args)
  local opts = check.parse(args)
  wrk.method = opts.method or "GET"
end

function response(status, headers, body)
  check.check(status, body)
end
