-- A random table of a seeded catalog per request (bench/perf_bench.py, scale figures): table i of
-- N lives in namespace ns_{i*K/N} and is named t_{i}, as bench/seed.h lays them out.
-- Arguments: kind=<load|exists|list> tables=<N> namespaces=<K> prefix=</v1/{prefix}/namespaces/>
--            status=<expected> min_body=<bytes> max_body=<bytes> header=<Name: value>...
local check = require("check")

setup = check.setup
done = check.done

local kind, tables, namespaces, prefix

function init(args)
  local opts = check.parse(args)
  kind = opts.kind
  tables = tonumber(opts.tables)
  namespaces = tonumber(opts.namespaces)
  prefix = opts.prefix
  wrk.method = kind == "exists" and "HEAD" or "GET"
  math.randomseed(os.time() * 1000 + id)
end

function request()
  local i = math.random(0, tables - 1)
  local ns = string.format("ns_%03d", math.floor(i * namespaces / tables))
  local path
  if kind == "list" then
    path = prefix .. ns .. "/tables?pageSize=100"
  else
    path = prefix .. ns .. "/tables/" .. string.format("t_%07d", i)
  end
  return wrk.format(nil, path)
end

function response(status, headers, body)
  check.check(status, body)
end
